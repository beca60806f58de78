import Foundation
import Support

/// The private Postgres cluster heaters runs when no `DATABASE_URL` is configured: the
/// wheel's PostgreSQL 18 + pgvector, initialised under the data dir, listening only on a
/// Unix socket there (no TCP port to collide with), and left running between `heaters`
/// runs for fast restarts until `heaters db stop`.
///
/// Start, stop and initialisation hold a file lock, so two processes starting at once share
/// one cluster. A crash (even kill -9) leaves a stale pid file that is recognised and
/// cleared; Postgres then recovers from its write-ahead log.
public struct EmbeddedPostgres: Sendable {
    public static let user = "heaters"
    public static let database = "heaters"

    public let dataDirectory: URL
    public let binaries: PostgresBinaries

    public init(dataDirectory: URL, binaries: PostgresBinaries) {
        self.dataDirectory = dataDirectory
        self.binaries = binaries
    }

    public enum Status: Sendable, Equatable {
        case notInitialized
        case stopped
        case running(pid: Int32)
    }

    /// Starts the cluster if needed (initialising it the first time) and returns the libpq
    /// connection string for the heaters database.
    @discardableResult
    public func start() async throws -> String {
        try await withClusterLock { layout, account in
            try await startLocked(layout, account)
        }
    }

    private func startLocked(_ layout: ClusterLayout, _ account: ServerAccount) async throws -> String {
        let server = try await binaries.usable(by: account)
        if !FileManager.default.fileExists(atPath: layout.pgdata.appendingPathComponent("PG_VERSION").path) {
            try await initialize(layout, server, account)
        }
        try writeSettings(layout, account)
        let probe = try await ensureAcceptingConnections(layout, server, account)
        try createDatabaseIfMissing(layout, on: probe)
        return Self.conninfo(layout, database: Self.database)
    }

    /// A connection to the heaters database when the server is already up with the current
    /// settings: what nearly every command finds. One connection instead of `start()`'s lock,
    /// probe and database check before the command's own (~10 ms of every `heaters status`).
    /// Nil when anything is not so (not initialised, stopped, settings to rewrite, the socket
    /// folder not private to the server account, database missing or not accepting yet):
    /// `start()` then does the whole of it, and refuses a socket folder that is not private.
    public func connectIfRunning() -> PostgresConnection? {
        guard let account = try? ServerAccount.current() else { return nil }
        let layout = ClusterLayout.locate(dataDirectory: dataDirectory, account: account)
        guard case .running = runningState(layout), layout.socketDirectoryIsPrivate(to: account),
              (try? String(contentsOf: settingsFile(layout), encoding: .utf8)) == settingsText(layout) else { return nil }
        return try? PostgresConnection(conninfo: Self.conninfo(layout, database: Self.database))
    }

    /// Stops the cluster (fast shutdown: open transactions are rolled back, nothing committed
    /// is lost). Returns false when it was not running.
    @discardableResult
    public func stop() async throws -> Bool {
        guard case .running = try status() else { return false }
        return try await withClusterLock { layout, account in
            guard case .running = runningState(layout) else { return false }
            let server = try await binaries.usable(by: account)
            let outcome = try await ProcessRunner.run(
                server.pgCtl, ["stop", "-D", layout.pgdata.path, "-m", "fast", "-w", "-t", "60", "-s"],
                environment: Self.serverEnvironment, as: account.identity)
            guard outcome.succeeded else {
                throw DatabaseError(.embeddedServer, "pg_ctl stop failed (\(outcome.exitDescription)): \(outcome.standardError)")
            }
            return true
        }
    }

    /// Runs `body` holding the cluster's file lock, which serialises start, stop and
    /// initialisation between processes.
    private func withClusterLock<T>(_ body: (ClusterLayout, ServerAccount) async throws -> T) async throws -> T {
        let account = try ServerAccount.current()
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        // The lock comes first: preparing the folders is part of what it serialises.
        let lock = try await FileLock.acquire(dataDirectory.appendingPathComponent("postgres.lock"))
        defer { lock.unlock() }
        let layout = try ClusterLayout.prepare(dataDirectory: dataDirectory, account: account)
        return try await body(layout, account)
    }

    /// PG* variables (PGPORT, PGDATA, PGOPTIONS, …) in our environment would change where
    /// and how the server listens; the server programs run without them.
    private static var serverEnvironment: [String: String?] {
        var env: [String: String?] = ["TZ": "UTC"]
        for key in ProcessInfo.processInfo.environment.keys where key.hasPrefix("PG") { env[key] = .some(nil) }
        return env
    }

    public func status() throws -> Status {
        let layout = ClusterLayout.locate(dataDirectory: dataDirectory, account: try ServerAccount.current())
        if !FileManager.default.fileExists(atPath: layout.pgdata.appendingPathComponent("PG_VERSION").path) {
            return .notInitialized
        }
        return runningState(layout)
    }

    /// The connection string for `database`, whether or not the server is up.
    public func conninfo(database: String = EmbeddedPostgres.database) throws -> String {
        let layout = ClusterLayout.locate(dataDirectory: dataDirectory, account: try ServerAccount.current())
        return Self.conninfo(layout, database: database)
    }

    /// The server's log, for error messages and `heaters doctor`.
    public func logFile() throws -> URL {
        ClusterLayout.locate(dataDirectory: dataDirectory, account: try ServerAccount.current()).logFile
    }

    // MARK: - Steps

    private func initialize(_ layout: ClusterLayout, _ server: PostgresBinaries, _ account: ServerAccount) async throws {
        // initdb writes into a side folder that is renamed when complete, so a crash during
        // initialisation never leaves a half-made cluster that looks real.
        try? FileManager.default.removeItem(at: layout.pgdataInProgress)
        let outcome = try await ProcessRunner.run(
            server.initdb,
            ["-D", layout.pgdataInProgress.path, "-U", Self.user, "--auth=trust", "-E", "UTF8", "--no-locale",
             "--no-instructions"],
            environment: Self.serverEnvironment, as: account.identity)
        guard outcome.succeeded else {
            throw DatabaseError(.embeddedServer, "initdb failed (\(outcome.exitDescription)): \(outcome.standardError)",
                                hint: "check that \(layout.base.path) is writable and has free space")
        }
        let conf = layout.pgdataInProgress.appendingPathComponent("postgresql.conf")
        let handle = try FileHandle(forWritingTo: conf)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\n# heaters: settings that depend on where the cluster lives\ninclude_if_exists = 'heaters.conf'\n".utf8))
        try handle.close()
        guard rename(layout.pgdataInProgress.path, layout.pgdata.path) == 0 else {
            throw DatabaseError(.embeddedServer, POSIXFailure("cannot move the new cluster into place").description)
        }
    }

    /// Rewritten at every start, so a moved data dir or socket folder is picked up.
    private func writeSettings(_ layout: ClusterLayout, _ account: ServerAccount) throws {
        let file = settingsFile(layout), text = settingsText(layout)
        if (try? String(contentsOf: file, encoding: .utf8)) == text { return }
        try text.write(to: file, atomically: true, encoding: .utf8)
        try account.takeOwnership(of: file)
    }

    private func settingsFile(_ layout: ClusterLayout) -> URL { layout.pgdata.appendingPathComponent("heaters.conf") }

    /// The settings that depend on where the cluster lives (postgresql.conf includes them).
    private func settingsText(_ layout: ClusterLayout) -> String {
        func quoted(_ s: String) -> String {
            "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
        }
        return """
            # Written by heaters at each start; edit postgresql.conf for your own settings.
            listen_addresses = ''
            port = \(ClusterLayout.port)
            unix_socket_directories = \(quoted(layout.socketDirectory.path))
            unix_socket_permissions = 0700
            max_connections = 200
            timezone = 'UTC'
            log_timezone = 'UTC'

            """
    }

    /// A server that looks alive may be dying (just killed) or still starting; wait until it
    /// either accepts connections or is gone, and start it when it is gone. Returns the
    /// connection that showed a running server accepts connections (nil when it was just
    /// launched), for the next check to use rather than open another.
    private func ensureAcceptingConnections(_ layout: ClusterLayout, _ server: PostgresBinaries,
                                            _ account: ServerAccount) async throws -> PostgresConnection? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(60))
        var lastError = ""
        while clock.now < deadline {
            guard case .running = runningState(layout) else {
                try await launch(layout, server, account)
                return nil
            }
            do {
                return try PostgresConnection(conninfo: Self.conninfo(layout, database: "postgres"))
            } catch {
                lastError = "\(error)"
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        throw DatabaseError(.embeddedServer, "the embedded Postgres is running but does not accept connections: \(lastError)",
                            hint: "see \(layout.logFile.path); `heaters db stop` then `heaters db start` restarts it")
    }

    private func launch(_ layout: ClusterLayout, _ server: PostgresBinaries, _ account: ServerAccount) async throws {
        // A postmaster killed with -9 can leave backends that still hold its shared memory for
        // a moment; Postgres refuses to start until they are gone, so a few tries are normal.
        var lastError = ""
        for attempt in 0..<15 {
            removeStalePidFile(layout)
            let outcome = try await ProcessRunner.run(
                server.pgCtl, ["start", "-D", layout.pgdata.path, "-l", layout.logFile.path, "-w", "-t", "120", "-s"],
                environment: Self.serverEnvironment, as: account.identity)
            if outcome.succeeded { return }
            lastError = outcome.standardError + logTail(layout)
            let transient = lastError.contains("shared memory block") || lastError.contains("lock file")
                || lastError.contains("already exists")
            if !transient || attempt == 14 { break }
            try await Task.sleep(for: .milliseconds(400))
        }
        throw DatabaseError(.embeddedServer, "the embedded Postgres did not start:\n\(lastError)",
                            hint: "see \(layout.logFile.path); `heaters db status` shows the cluster's state")
    }

    private func createDatabaseIfMissing(_ layout: ClusterLayout, on probe: PostgresConnection?) throws {
        let connection = try probe ?? PostgresConnection(conninfo: Self.conninfo(layout, database: "postgres"))
        let exists = try connection.query("SELECT 1 FROM pg_database WHERE datname = $1", [Self.database])
        if exists.isEmpty {
            // An identifier cannot be a bound parameter; the name is a constant.
            try connection.runScript("CREATE DATABASE heaters")
        }
    }

    // MARK: - Helpers

    /// The pid in postmaster.pid when that process is alive and is this cluster's server.
    private func runningState(_ layout: ClusterLayout) -> Status {
        guard let pid = pidFromFile(layout) else { return .stopped }
        return Self.isPostgresProcess(pid, serving: layout.pgdata) ? .running(pid: pid) : .stopped
    }

    private func pidFromFile(_ layout: ClusterLayout) -> Int32? {
        guard let text = try? String(contentsOf: layout.pidFile, encoding: .utf8),
              let first = text.split(separator: "\n").first else { return nil }
        return Int32(first.trimmingCharacters(in: .whitespaces))
    }

    /// A pid file whose process is dead, or whose pid now belongs to some other program, is
    /// left over from a crash. Postgres would refuse to start over a live unrelated pid.
    private func removeStalePidFile(_ layout: ClusterLayout) {
        guard let pid = pidFromFile(layout), !Self.isPostgresProcess(pid, serving: layout.pgdata) else { return }
        try? FileManager.default.removeItem(at: layout.pidFile)
    }

    /// Alive (not a zombie waiting to be reaped), running the postgres program, and working
    /// in `pgdata` (a postmaster's working directory is its data directory), so that a
    /// recycled pid of another cluster's server is not taken for this one.
    static func isPostgresProcess(_ pid: Int32, serving pgdata: URL) -> Bool {
        guard let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd"),
              URL(fileURLWithPath: cwd).standardizedFileURL.path == pgdata.resolvingSymlinksInPath().standardizedFileURL.path
        else { return false }
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM,
              let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return false }
        // /proc/PID/stat is "pid (comm) state …"; comm may itself hold spaces or parentheses.
        let comm = stat[stat.index(after: open)..<close]
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return comm.hasPrefix("postgres") && state != "Z" && state != "X"
    }

    private func logTail(_ layout: ClusterLayout) -> String {
        guard let text = try? String(contentsOf: layout.logFile, encoding: .utf8) else { return "" }
        return "\n" + text.split(separator: "\n").suffix(12).joined(separator: "\n")
    }

    /// Every setting is explicit (options and encoding too), so PG* variables meant for
    /// other servers cannot leak into connections to this one.
    static func conninfo(_ layout: ClusterLayout, database: String) -> String {
        ConnectionString.keywordForm([("host", layout.socketDirectory.path), ("port", String(ClusterLayout.port)),
                                      ("user", Self.user), ("dbname", database), ("connect_timeout", "10"),
                                      ("options", ""), ("client_encoding", "UTF8")])
    }
}
