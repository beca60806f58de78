@testable import Database
import Foundation

/// Three headless heaters on one data dir and one (faulty) object store, and the faults a
/// fault-injection test deals them: random SIGKILLs (noting which stage each victim was
/// running), workers started with a failpoint that kills them at a chosen place, and a
/// restart of the database under them. Killed workers are started again at once; a worker's
/// output goes to its own log under the data dir.
final class FaultHarness {
    let dir: URL
    let environment: [String: String]
    private(set) var db: PostgresConnection
    private var workers: [Process?]
    private var generation = 0
    private(set) var faults: [String] = []
    // The moments depend on timing anyway, so a seed would not replay a run: the faults dealt
    // are printed instead.
    private var generator = SystemRandomNumberGenerator()

    init(dir: URL, environment: [String: String], workers count: Int = 3) throws {
        self.dir = dir
        self.environment = environment
        self.workers = Array(repeating: nil, count: count)
        db = try Self.connect(dir)
    }

    static func connect(_ dir: URL) throws -> PostgresConnection {
        try PostgresConnection(conninfo: try EmbeddedPostgres(dataDirectory: dir, binaries: try TestDatabase.binaries).conninfo())
    }

    /// Starts every worker that is not running (unarmed), noting a failpoint that killed one.
    func startMissing() throws {
        for index in workers.indices where workers[index]?.isRunning != true {
            if let ended = workers[index], ended.terminationReason == .uncaughtSignal, ended.terminationStatus == SIGKILL,
               let point = ended.environment?["HEATERS_FAILPOINT"] {
                faults.append("failpoint \(point)")
            }
            workers[index] = try launch(failpoint: nil)
        }
    }

    private func launch(failpoint: String?) throws -> Process {
        generation += 1
        let log = dir.appendingPathComponent("worker-\(generation).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = ProjectPaths.heatersBinary
        process.arguments = ["--headless", "--queues", "io=1,media=1,review=1,default=0", "--lease-seconds", "3"]
        var extra = environment
        if let failpoint { extra["HEATERS_FAILPOINT"] = failpoint }
        process.environment = HeatersCLI.environment(dataDirectory: dir, extra: extra)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return process
    }

    /// Replaces the running workers, one per failpoint, by workers armed with it (a graceful
    /// SIGTERM first: not a fault); the rest keep running.
    func arm(_ points: [String]) throws {
        for (index, point) in zip(workers.indices, points) {
            if let worker = workers[index], worker.isRunning {
                kill(worker.processIdentifier, SIGTERM)
                worker.waitUntilExit()
            }
            workers[index] = try launch(failpoint: point)
        }
    }

    /// SIGKILLs one running worker at random, noting what it was doing.
    func killOne() throws {
        let running = workers.indices.filter { workers[$0]?.isRunning == true }
        guard let index = running.randomElement(using: &generator), let victim = workers[index] else { return }
        let pid = victim.processIdentifier
        let doing = (try? db.query("SELECT string_agg(stage, '+' ORDER BY stage) AS s FROM jobs WHERE state = 'running' AND attempted_by LIKE $1",
                                   ["%/\(pid)/%"]).first?.decodeIfPresent("s", as: String.self)) ?? nil
        kill(pid, SIGKILL)
        victim.waitUntilExit()
        faults.append("SIGKILL during \(doing ?? "idle")")
        workers[index] = nil
    }

    /// Stops and starts the embedded database under the running workers.
    func restartDatabase() throws {
        let stop = try HeatersCLI.run(["db", "stop"], dataDirectory: dir)
        guard stop.status == 0 else { throw FixtureError("db stop: \(stop.output)") }
        usleep(1_500_000)
        let start = try HeatersCLI.run(["db", "start"], dataDirectory: dir)
        guard start.status == 0 else { throw FixtureError("db start: \(start.output)") }
        db = try Self.connect(dir)
        faults.append("database restart")
    }

    /// Polls `query` (one integer `n`) until it reaches `value`, killing a random worker
    /// every 1–3 s (at most `kills`) and restarting the database once if asked; true when
    /// reached within `timeout`.
    func run(until query: String, equals value: Int, kills: Int, restartDatabaseAfter: Int? = nil,
             timeout: TimeInterval) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var killed = 0
        var nextKill = Date().addingTimeInterval(Double.random(in: 1...3, using: &generator))
        while Date() < deadline {
            try startMissing()
            if (try? db.query(query).first?.decode("n", as: Int.self)) == value { return true }
            if killed < kills, Date() >= nextKill {
                try killOne()
                killed += 1
                if killed == restartDatabaseAfter { try restartDatabase() }
                nextKill = Date().addingTimeInterval(Double.random(in: 1...3, using: &generator))
            }
            usleep(200_000)
        }
        return false
    }

    /// SIGTERMs every worker and waits for them (they finish or release their jobs).
    func stopAll() {
        for case let worker? in workers where worker.isRunning { kill(worker.processIdentifier, SIGTERM) }
        for case let worker? in workers { worker.waitUntilExit() }
        workers = workers.map { _ in nil }
    }

    /// The last lines of every worker log (for a failure message).
    func logTail(lines: Int = 15) -> String {
        (1...max(generation, 1)).compactMap { n in
            let text = (try? String(contentsOf: dir.appendingPathComponent("worker-\(n).log"), encoding: .utf8)) ?? ""
            return "worker \(n):\n" + text.split(separator: "\n").suffix(lines).joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
