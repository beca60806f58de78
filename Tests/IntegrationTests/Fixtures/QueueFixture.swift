@testable import Database
import Foundation

/// A data dir with a migrated embedded cluster, noop jobs in it, and headless heaters
/// processes working on them.
struct QueueFixture {
    let dir: URL
    let db: PostgresConnection

    init(_ label: String) async throws {
        dir = try ProjectPaths.freshDirectory(label)
        let migrate = try HeatersCLI.run(["db", "migrate"], dataDirectory: dir)
        guard migrate.status == 0 else { throw FixtureError("migrate failed: \(migrate.output)") }
        db = try PostgresConnection(conninfo: try EmbeddedPostgres(dataDirectory: dir, binaries: try TestDatabase.binaries).conninfo())
    }

    /// Inserts `count` noop jobs (subjects first…first+count-1); returns their ids.
    @discardableResult
    func noopJobs(_ count: Int, first: Int = 1, args: String = "{}", maxAttempts: Int = 5) throws -> [Int64] {
        try db.query("""
            INSERT INTO jobs (stage, queue, subject_type, subject_id, args, max_attempts)
            SELECT 'noop', 'default', 'none', g, $3::jsonb, $4 FROM generate_series($1::int, $2::int) g RETURNING id
            """, [first, first + count - 1, args, maxAttempts]).map { try $0.decode("id") }
    }

    /// A headless heaters on the diagnostics queue only.
    func launch(untilIdle: Bool = true, workers: Int = 2, leaseSeconds: Int = 30) throws -> Process {
        var arguments = ["--headless", "--queues", "default=\(workers),media=0,io=0", "--lease-seconds", String(leaseSeconds)]
        if untilIdle { arguments.append("--until-idle") }
        return try HeatersCLI.launch(arguments, dataDirectory: dir)
    }

    /// Waits for the process to end; kills it and returns nil after `timeout`.
    func waitForExit(_ process: Process, timeout: TimeInterval = 120) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    /// Polls `query` (returning one integer `n`) until it reaches `value`.
    func waitUntil(_ query: String, _ parameters: [any PostgresEncodable] = [], equals value: Int,
                   timeout: TimeInterval = 60) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? db.query(query, parameters).first?.decode("n", as: Int.self)) == value { return true }
            usleep(50_000)
        }
        return false
    }

    func count(_ query: String, _ parameters: [any PostgresEncodable] = []) throws -> Int {
        try db.query(query, parameters).first!.decode("n")
    }

    func cleanUp() { HeatersCLI.stopAndRemove(dir) }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
