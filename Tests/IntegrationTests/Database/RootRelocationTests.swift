@testable import Config
@testable import Database
import Foundation
import Testing

/// Postgres refuses to run as root. As root, heaters runs the server as heaters-pg; when
/// that user cannot reach the data dir or the binaries (a checkout under /root, say), the
/// cluster and a copy of the binaries move to /var/lib/heaters. As an ordinary user,
/// everything stays under the data dir.
@Suite(.timeLimit(.minutes(12))) struct RootRelocationTests {
    @Test func aDataDirTheServerAccountCannotReachStillWorks() async throws {
        let privateDir = try ProjectPaths.freshDirectory("private")
        chmod(privateDir.path, 0o700)
        let binaries = try await TestDatabase.binaries.copy(to: privateDir.appendingPathComponent("pg"))
        let data = privateDir.appendingPathComponent("data")
        let env = ["HEATERS_POSTGRES_DIR": binaries.root.path]
        defer { HeatersCLI.stopAndRemove(privateDir, dataDirectory: data, extra: env) }

        let migrate = try HeatersCLI.run(["db", "migrate"], dataDirectory: data, extra: env)
        #expect(migrate.status == 0, "\(migrate.output)")
        let query = try HeatersCLI.run(["db", "psql", "--", "-Atc", "SELECT current_user || ' ' || count(*) FROM schema_migrations"],
                                       dataDirectory: data, extra: env)
        #expect(query.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "heaters \(Migration.all.count)", "\(query.output)")

        let link = data.appendingPathComponent("postgres")
        let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)
        if geteuid() == 0 {
            #expect(target?.hasPrefix("/var/lib/heaters/clusters/") == true, "cluster at \(target ?? link.path)")
            let server = try DatabaseServer.forConfig(HeatersConfig.load(
                environment: HeatersCLI.environment(dataDirectory: data, extra: env))).location
            guard case .embedded(let embedded) = server else { Issue.record("not embedded"); return }
            guard case .running(let pid) = try embedded.status() else { Issue.record("not running"); return }
            let owner = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
                .split(separator: "\n").first { $0.hasPrefix("Uid:") }
            #expect(owner?.contains("\t0\t") == false, "the server runs as root: \(owner ?? "?")")
            // Clean up what this test put under /var/lib/heaters.
            _ = try? HeatersCLI.run(["db", "stop"], dataDirectory: data, extra: env)
            if let target { try? FileManager.default.removeItem(atPath: target) }
            #expect(FileManager.default.fileExists(atPath: binaries.relocatedCopy.path), "the binaries were not copied")
            try? FileManager.default.removeItem(at: binaries.relocatedCopy)
        } else {
            #expect(target == nil, "an ordinary user's cluster stays in the data dir")
        }
    }
}
