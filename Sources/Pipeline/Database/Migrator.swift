import Foundation

/// Applies the numbered migrations that a database has not seen yet. Safe to run from many
/// processes at once: a session advisory lock makes them take turns, and each migration is
/// applied and recorded in one transaction.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration] = Migration.all) {
        self.migrations = migrations
    }

    /// An arbitrary constant naming heaters' migration lock among advisory locks.
    static let lockKey: Int64 = 0x4845_4154_4552_5301

    /// Brings the schema up to date; returns the versions it applied (empty when current).
    @discardableResult
    public func migrate(_ connection: PostgresConnection, lockTimeout: Duration = .seconds(300)) throws -> [Int] {
        // The common case, every command of every process: nothing to apply. Two index reads
        // instead of the extension scan and the lock (tens of ms off `heaters status`).
        if Set(try appliedVersions(connection)).isSuperset(of: migrations.map(\.version)) { return [] }
        try Self.requireVector(connection)
        return try connection.pinningSession { session in
            try Self.acquireLock(session, timeout: lockTimeout)
            defer { _ = try? session.execute("SELECT pg_advisory_unlock($1)", [Self.lockKey]) }
            return try applyPending(session)
        }
    }

    /// Waits for the migration lock, but not forever: a peer stuck mid-migration is reported.
    private static func acquireLock(_ connection: PostgresConnection, timeout: Duration) throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let got: Bool = try connection.query("SELECT pg_try_advisory_lock($1) AS got", [lockKey]).first!.decode("got")
            if got { return }
            if clock.now >= deadline {
                throw DatabaseError(.query, "another heaters process has been migrating the database for over \(timeout)",
                                    hint: "look for a stuck heaters process (SELECT * FROM pg_locks WHERE locktype = 'advisory')")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    private func applyPending(_ connection: PostgresConnection) throws -> [Int] {
        try connection.runScript("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        let applied = Set(try connection.query("SELECT version FROM schema_migrations").map { try $0.decode("version", as: Int.self) })
        var done: [Int] = []
        for migration in migrations where !applied.contains(migration.version) {
            try connection.transaction { tx in
                // Whatever the server's default: a migration that backfills what its new
                // triggers keep from then on (18, 19) sees the rows committed before the
                // triggers' lock, which a snapshot taken earlier (repeatable read) would not.
                try tx.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                try tx.runScript(migration.sql)
                try tx.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                               [migration.version, migration.name])
            }
            done.append(migration.version)
        }
        return done
    }

    /// Versions recorded in the database, for `heaters db status` and doctor.
    public func appliedVersions(_ connection: PostgresConnection) throws -> [Int] {
        let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        guard try exists.first?.decode("present", as: Bool.self) == true else { return [] }
        return try connection.query("SELECT version FROM schema_migrations ORDER BY version").map { try $0.decode("version") }
    }

    /// pgvector is required; a server without it gets an error that names the fix.
    public static func requireVector(_ connection: PostgresConnection) throws {
        let rows = try connection.query("SELECT 1 FROM pg_available_extensions WHERE name = $1", ["vector"])
        if rows.isEmpty {
            throw DatabaseError(.unsupportedServer,
                                "this Postgres server has no `vector` extension (pgvector), which heaters needs for embeddings",
                                hint: "install pgvector on the server (Debian/Ubuntu: apt install postgresql-<version>-pgvector"
                                    + "), or unset DATABASE_URL to use heaters' embedded Postgres")
        }
    }
}
