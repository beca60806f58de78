/// What `heaters doctor` reports about the server: its version and pgvector's.
public struct ServerFacts: Sendable, Equatable {
    /// `server_version`, e.g. "18.0".
    public var version: String
    /// The installed `vector` extension's version; nil when it is not created.
    public var vectorVersion: String?

    public static func read(_ db: PostgresConnection) throws -> ServerFacts {
        let version: String = try db.query("SELECT current_setting('server_version') AS v").first?.decode("v") ?? "?"
        let vector: String? = try db.query("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
            .first?.decode("extversion")
        return ServerFacts(version: version, vectorVersion: vector)
    }
}
