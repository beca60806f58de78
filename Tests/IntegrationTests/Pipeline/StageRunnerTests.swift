@testable import Database
import Domain
import Foundation
@testable import Pipeline
@testable import Queue
import Storage
import Synchronization
import Testing

/// The dispatcher and the runner on a stage with a subject, in one process against a real
/// database: the subject moves input → working → success with the job, a job that keeps
/// failing marks its subject failed, and `retry` brings both back.
@Suite(.timeLimit(.minutes(12))) struct StageRunnerTests {
    final class Switch: Sendable {
        let failing = Atomic<Bool>(false)
    }

    static func table(_ switchboard: Switch) -> [Stage] {
        [Stage(name: "download", input: [SourceVideoState.new, .downloading], working: .downloading,
               success: .downloaded, failure: .downloadFailed, queue: "io", maxAttempts: 2) { context in
            if switchboard.failing.load(ordering: .sequentiallyConsistent) {
                throw FixtureError("unreachable URL (attempt \(context.job.attempt))")
            }
            return StageResult(json: "{\"bytes\": 42}")
        }]
    }

    /// The stages with a real (local) object store and scratch folder, which this table's work does not touch.
    static func handler(_ stages: [Stage]) throws -> StageHandler {
        let folder = try ProjectPaths.freshDirectory("stage-runner")
        return StageHandler(stages: stages, storage: try LocalObjectStore(root: folder.appendingPathComponent("storage")),
                            scratch: folder, tools: nil)
    }

    @Test func aSubjectMovesWithItsJobAndFailsOnlyWhenAttemptsAreUsedUp() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        let switchboard = Switch()
        let stages = Self.table(switchboard)
        let queue = JobQueue(worker: "test/1/io-1", backoff: BackoffPolicy(base: .milliseconds(1), maximum: .milliseconds(1)))
        let runner = JobRunner(queue: queue, handler: try Self.handler(stages))
        func state(_ id: Int64) throws -> String {
            try db.query("SELECT state FROM source_videos WHERE id = $1", [id]).first!.decode("state")
        }
        func runOne() throws -> JobRunner.Outcome? {
            guard let job = try queue.claim(db, queue: "io", stages: ["download"]).first else { return nil }
            return try runner.run(job, on: db, progress: { _ in }, isCancelled: { false })
        }
        let good = try db.query("INSERT INTO source_videos (title, source_uri) VALUES ('a', 'https://x/a') RETURNING id").first!.decode("id", as: Int64.self)

        #expect(try Dispatcher(stages: stages).dispatch(db) == 1)
        #expect(try Dispatcher(stages: stages).dispatch(db) == 0, "one live job per subject")
        #expect(try runOne() == .completed)
        #expect(try state(good) == "downloaded")
        #expect(try Dispatcher(stages: stages).dispatch(db) == 0, "nothing left for this stage")

        switchboard.failing.store(true, ordering: .sequentiallyConsistent)
        let bad = try db.query("INSERT INTO source_videos (title, source_uri) VALUES ('b', 'https://x/b') RETURNING id").first!.decode("id", as: Int64.self)
        #expect(try Dispatcher(stages: stages).dispatch(db) == 1)
        let first = try runOne()
        guard case .failed(.retry)? = first else { Issue.record("first failure: \(String(describing: first))"); return }
        #expect(try state(bad) == "downloading", "still being worked on between attempts")
        usleep(20_000)
        #expect(try runOne() == .failed(.discard))
        #expect(try state(bad) == "download_failed")
        let message: String = try db.query("SELECT error_message FROM source_videos WHERE id = $1", [bad]).first!.decode("error_message")
        #expect(message.contains("unreachable URL (attempt 2)"))
        #expect(try Dispatcher(stages: stages).dispatch(db) == 0, "a failed subject waits for a person")

        switchboard.failing.store(false, ordering: .sequentiallyConsistent)
        let job: Int64 = try db.query("SELECT id FROM jobs WHERE subject_id = $1 AND state = 'discarded'", [bad]).first!.decode("id")
        #expect(try JobQueue.retry(db, id: job, subjects: StageTransitions(stages: stages)))
        #expect(try state(bad) == "new")
        #expect(try runOne() == .completed)
        #expect(try state(bad) == "downloaded")
    }

    @Test func aJobWhoseSubjectMovedOnIsSkipped() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        let stages = Self.table(Switch())
        let id = try db.query("INSERT INTO source_videos (title, source_uri) VALUES ('a', 'x') RETURNING id").first!.decode("id", as: Int64.self)
        try Dispatcher(stages: stages).dispatch(db)
        try db.execute("UPDATE source_videos SET state = 'download_failed' WHERE id = $1", [id])
        let queue = JobQueue(worker: "test/1/io-1")
        let job = try #require(try queue.claim(db, queue: "io", stages: ["download"]).first)
        #expect(try JobRunner(queue: queue, handler: try Self.handler(stages)).run(job, on: db, progress: { _ in }, isCancelled: { false }) == .skipped)
        #expect(try db.query("SELECT state FROM source_videos WHERE id = $1", [id]).first!.decode("state", as: String.self) == "download_failed")
    }
}
