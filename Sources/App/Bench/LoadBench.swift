import ArgumentParser
import Database
import Domain
import Foundation
import Pipeline
import Storage
import TUI

extension BenchCommand {
    /// The library at size (default 100,000 clips over 200 sources, a fifth decided): what a
    /// reviewer and an operator wait for — the station's opening and scrolling (the backend
    /// calls the station makes, in its order), `heaters status` and `heaters clip list --limit
    /// 50`, as queries and as whole processes (and `heaters jobs` as a process) — beside one
    /// clip read by primary key on the same connection (queries) and `heaters db url`
    /// (processes: start-up and config, no database).
    /// scripts/bench-load runs it on a fresh embedded database.
    struct LoadBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load",
            abstract: "The station's opening and scrolling, status and clip list at 100,000 clips: p50/p95 beside a primary-key read.",
            discussion: """
                Loads sources and clips of its own into the configured database (point it at a scratch one; \
                scripts/bench-load makes a fresh embedded one): --clips over --sources, scene-detected, the first \
                --decided clips in review order decided (embedded, skipped, archived, a few approved, exported, \
                failed), the rest pending, with the finished jobs that made them. Then, --rounds times each: the \
                station's opening (start a session, the queue's first page of 200, the tray, the pipeline line, \
                claim and neighbours of the first clip), a step to the next clip while scrolling (claim and \
                neighbours; a new page every 200 clips), the status query and the clip list query; and \
                --processes runs of `heaters status`, `heaters clip list --limit 50` and `heaters jobs` as \
                processes, beside `heaters db url` (start-up and config). Ratio = p50 / the reference's p50.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Clips to load.") var clips = 100_000
        @Option(help: "Sources they are dealt over.") var sources = 200
        @Option(help: "Clips decided, from the start of review order.") var decided = 20_000
        @Option(help: "Rounds of each query measurement.") var rounds = 50
        @Option(help: "Runs of each whole command (0: none).") var processes = 15

        func run() async throws {
            try await reportingErrors {
                guard sources > 0, clips >= sources, decided >= 0, decided < clips, rounds > 0 else {
                    throw CommandFailure("--sources and --rounds must be at least 1, --clips at least --sources, --decided from 0 to below --clips")
                }
                let config = try global.load()
                let database = try DatabaseServer.forConfig(config)
                let db = try await database.prepareConnection()
                let plan = LoadBenchmarkQueries.Plan(sources: sources, clips: clips, decided: decided, uri: "bench://load/\(getpid())")
                let load = try BenchCommand.time { try LoadBenchmarkQueries.load(db, plan) }
                let vacuum = try BenchCommand.time { try LoadBenchmarkQueries.vacuum(db) }
                print(String(format: "loaded %d clips over %d sources (%d decided) in %.1f s; vacuum/analyse %.1f s",
                             clips, sources, decided, load, vacuum))
                guard let ids = try LoadBenchmarkQueries.clipIDs(db, uri: plan.uri) else { throw CommandFailure("nothing was loaded") }
                let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("heaters-bench-load-\(getpid())")
                defer { try? FileManager.default.removeItem(at: scratch) }
                let backend = DatabaseReviewBackend(connection: db, storage: try LocalObjectStore(root: scratch), reviewer: "bench",
                                                    undoSeconds: 60)
                var generator = SystemRandomNumberGenerator()
                var reference: [Double] = [], opening: [Double] = [], stepping: [Double] = [], status: [Double] = [], list: [Double] = []
                var firstClip: Int64?
                for _ in 0..<rounds {
                    reference.append(try BenchCommand.time {
                        _ = try LoadBenchmarkQueries.clipByID(db, id: Int64.random(in: ids, using: &generator))
                    } * 1000)
                    var session = "", page = QueuePage(entries: [], total: 0)
                    opening.append(try BenchCommand.time {
                        session = try backend.startSession()
                        page = try backend.queuePage(session: session, after: nil, filter: QueueFilter(), limit: 200)
                        _ = try backend.tray(session: session)
                        _ = try backend.pipeline()
                        if let first = page.entries.first {
                            _ = try backend.claim(session: session, around: first, count: 3)
                            _ = try backend.neighbours(of: first.clipID)
                        }
                    } * 1000)
                    firstClip = page.entries.first?.clipID
                    // Scrolling: one clip after another, a page ahead as the station loads it.
                    var entries = page.entries
                    for index in 1..<min(40, max(1, entries.count)) {
                        stepping.append(try BenchCommand.time {
                            if index == entries.count - 1, let last = entries.last {
                                entries += try backend.queuePage(session: session, after: last, filter: QueueFilter(), limit: 200).entries
                            }
                            _ = try backend.claim(session: session, around: entries[index], count: 3)
                            _ = try backend.neighbours(of: entries[index].clipID)
                        } * 1000)
                    }
                    try backend.endSession(session)
                    status.append(try BenchCommand.time { _ = try StatusQueries.pipelineStatus(db) } * 1000)
                    list.append(try BenchCommand.time { _ = try ClipQueries.list(db, limit: 50) } * 1000)
                }
                let base = BenchCommand.percentiles(reference)
                print("first pending clip in review order: \(firstClip.map(String.init) ?? "none"); \(rounds) rounds; ms")
                func line(_ name: String, _ values: [Double], against: Double) {
                    let p = BenchCommand.percentiles(values)
                    print(name.padding(toLength: 46, withPad: " ", startingAt: 0)
                          + String(format: "p50 %8.2f   p95 %8.2f   ratio %6.1f", p.p50, p.p95, p.p50 / max(against, 1e-9)))
                }
                print("one clip by primary key (reference)".padding(toLength: 46, withPad: " ", startingAt: 0)
                      + String(format: "p50 %8.3f   p95 %8.3f", base.p50, base.p95))
                line("station opening (session, page of 200, …)", opening, against: base.p50)
                line("station step to the next clip", stepping, against: base.p50)
                line("status query (StatusQueries.pipelineStatus)", status, against: base.p50)
                line("clip list query (--limit 50)", list, against: base.p50)
                guard processes > 0 else { return }
                let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
                var startUp: [Double] = [], statusRuns: [Double] = [], listRuns: [Double] = [], jobRuns: [Double] = []
                for _ in 0..<processes {
                    startUp.append(try Self.timeProcess(executable, ["db", "url"]))
                    statusRuns.append(try Self.timeProcess(executable, ["status"]))
                    listRuns.append(try Self.timeProcess(executable, ["clip", "list", "--limit", "50"]))
                    jobRuns.append(try Self.timeProcess(executable, ["jobs"]))
                }
                let start = BenchCommand.percentiles(startUp)
                print("whole processes, \(processes) runs each; ms")
                print("heaters db url (reference: start-up, config)".padding(toLength: 46, withPad: " ", startingAt: 0)
                      + String(format: "p50 %8.2f   p95 %8.2f", start.p50, start.p95))
                line("heaters status", statusRuns, against: start.p50)
                line("heaters clip list --limit 50", listRuns, against: start.p50)
                line("heaters jobs", jobRuns, against: start.p50)
            }
        }

        /// Milliseconds from launch to exit of a heaters process (output discarded); throws
        /// when it fails, since a failing command's time means nothing.
        static func timeProcess(_ executable: URL, _ arguments: [String]) throws -> Double {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let elapsed = try BenchCommand.time {
                try process.run()
                process.waitUntilExit()
            }
            guard process.terminationStatus == 0 else {
                throw CommandFailure("heaters \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
            }
            return elapsed * 1000
        }
    }
}
