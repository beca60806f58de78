import ArgumentParser
import Database
import Domain
import Foundation
import Pipeline

extension BenchCommand {
    /// Decision latency of the review engine on the configured database, beside a bare
    /// one-row UPDATE on the same server in the same run (scripts/bench-review runs it on a
    /// fresh embedded database).
    struct ReviewBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "review",
            abstract: "Review decision latency (approve, undo, schedule a split, land a split): p50/p95 beside a bare UPDATE.",
            discussion: "Writes a source of its own into the configured database: point it at a scratch one.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Decisions of each kind to time.") var count = 300
        @Option(help: "Clips in the benchmark's source (the review engine's cost should not grow with it).") var clips = 3000

        func run() async throws {
            try await reportingErrors {
                guard clips >= 2 * count else { throw CommandFailure("--clips must be at least twice --count") }
                let config = try global.load()
                let database = try DatabaseServer.forConfig(config)
                let db = try await database.prepareConnection()
                let ids = try BenchmarkQueries.source(db, title: "bench review \(getpid())", clips: clips, length: 50)
                try BenchmarkQueries.analyze(db)
                let review = ReviewService(database: db, reviewer: "bench", undoSeconds: 60)
                try BenchmarkQueries.createReference(db)

                var bare: [Double] = [], approve: [Double] = [], undo: [Double] = [], schedule: [Double] = [], land: [Double] = []
                var actions: [Int64] = []
                for n in 0..<count {
                    bare.append(try BenchCommand.time { try BenchmarkQueries.updateReference(db) } * 1000)
                    approve.append(try BenchCommand.time { _ = try review.decide([.approve(clip: ids[2 * n])]) } * 1000)
                    undo.append(try BenchCommand.time { _ = try review.undo() } * 1000)
                    schedule.append(try BenchCommand.time {
                        actions.append(try review.decide([.split(clip: ids[2 * n + 1], at: (2 * n + 1) * 50 + 25)]).actions[0].id)
                    } * 1000)
                }
                for action in actions {
                    land.append(try BenchCommand.time { _ = try ReviewService.land(db, action: action) } * 1000)
                }
                let reference = BenchCommand.percentiles(bare)
                print("\(count) decisions of each kind on a source of \(clips) clips; latency in ms, ratio = p50 / bare UPDATE p50")
                func label(_ text: String) -> String { text.padding(toLength: 34, withPad: " ", startingAt: 0) }
                print(label("bare one-row UPDATE (reference)") + String(format: "p50 %7.3f   p95 %7.3f", reference.p50, reference.p95))
                for (name, values) in [("approve", approve), ("undo (of that approve)", undo), ("schedule a split", schedule),
                                       ("land a split (the job's work)", land)] {
                    let p = BenchCommand.percentiles(values)
                    print(label(name) + String(format: "p50 %7.3f   p95 %7.3f   ratio %5.1f", p.p50, p.p95,
                                               p.p50 / max(reference.p50, 1e-9)))
                }
            }
        }
    }
}
