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

    /// A store that is down is an outage: the job is put off (5 s, doubling) with no attempt
    /// spent, however often it happens, and finishes once the store is back; only when its
    /// outages are used up does one count as a failure.
    @Test func anOutageSpendsNoAttemptAndTheJobFinishesWhenTheStoreIsBack() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        let dir = try ProjectPaths.freshDirectory("stage-outage")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try MotoServer(directory: dir)
        defer { server.stop() }
        let proxy = try FaultyS3Proxy(upstream: server.endpoint)
        defer { proxy.stop() }
        let store = try StorageFaultTests.store(behind: proxy)
        try store.createBucket()
        let stages = [Stage(name: "download", input: [SourceVideoState.new, .downloading], working: .downloading,
                            success: .downloaded, failure: .downloadFailed, queue: "io", maxAttempts: 2) { context in
            try store.put(data: Data("original".utf8), key: try StorageKey("sources/\(context.job.subjectID)/original.mp4"))
            return StageResult(json: "{}")
        }]
        let queue = JobQueue(worker: "test/1/io-1")
        let runner = JobRunner(queue: queue, handler: try Self.handler(stages))
        func runOne() throws -> JobRunner.Outcome? {
            try db.execute("UPDATE jobs SET scheduled_at = now()")  // the backoff, skipped
            guard let job = try queue.claim(db, queue: "io", stages: ["download"]).first else { return nil }
            return try runner.run(job, on: db, progress: { _ in }, isCancelled: { false })
        }
        let id = try db.query("INSERT INTO source_videos (title, source_uri) VALUES ('a', 'https://x/a') RETURNING id").first!.decode("id", as: Int64.self)
        #expect(try Dispatcher(stages: stages).dispatch(db) == 1)
        try proxy.set(down: true)
        for outage in 1...4 {
            let row = { try db.query("SELECT state, max_attempts, outages, extract(epoch FROM scheduled_at - now())::float8 AS wait FROM jobs").first! }
            guard case .postponed? = try runOne() else { Issue.record("outage \(outage) was not postponed"); return }
            let job = try row()
            let wait: Double = try job.decode("wait")
            let expected = 5 * pow(2, Double(outage - 1))
            #expect(wait > expected * 0.85 && wait < expected * 1.15, "outage \(outage): put off \(wait) s")
            #expect(try job.decode("max_attempts", as: Int.self) == 2 + outage && job.decode("outages", as: Int.self) == outage)
            #expect(try job.decode("state", as: String.self) == "retryable")
        }
        let outcomes = try db.query("SELECT outcome, error FROM job_attempts ORDER BY id")
        #expect(try outcomes.map { try $0.decode("outcome", as: String.self) } == Array(repeating: "postponed", count: 4))
        #expect(try outcomes.allSatisfy { try $0.decode("error", as: String.self).contains("unavailable for now") })
        #expect(try db.query("SELECT state FROM source_videos").first!.decode("state", as: String.self) == "downloading")
        // Outages used up: the next one counts as a failure, attempts and all.
        try db.execute("UPDATE jobs SET max_outages = outages")
        guard case .failed(.retry)? = try runOne() else { Issue.record("an outage past the budget is not a failure"); return }
        try proxy.set(down: false)
        #expect(try runOne() == .completed)
        #expect(try db.query("SELECT state FROM source_videos WHERE id = $1", [id]).first!.decode("state", as: String.self) == "downloaded")
        #expect(try store.exists(key: try StorageKey("sources/\(id)/original.mp4")))
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

    /// A user's cancel sticks: the subject is marked failed with the job, so the dispatcher
    /// (which creates jobs from subjects' states) does not bring the work back; a running job
    /// cancelled mid-work commits nothing; `retry` brings job and subject back.
    @Test func aCancelledJobStaysCancelledUntilRetried() async throws {
        let conninfo = try await TestDatabase.fresh()
        let db = try PostgresConnection(conninfo: conninfo), user = try PostgresConnection(conninfo: conninfo)
        let cancelMidWork = Atomic<Bool>(false)
        let stages = [Stage(name: "download", input: [SourceVideoState.new, .downloading], working: .downloading,
                            success: .downloaded, failure: .downloadFailed, queue: "io", maxAttempts: 2) { context in
            if cancelMidWork.load(ordering: .sequentiallyConsistent) {
                // The user cancels from another connection while the work runs.
                _ = try JobQueue.cancel(user, id: context.job.id, message: "cancelled by a test",
                                        subjects: StageTransitions(stages: StageTable.all))
            }
            return StageResult(json: "{}")
        }]
        let transitions = StageTransitions(stages: stages), dispatcher = Dispatcher(stages: stages)
        let queue = JobQueue(worker: "test/1/io-1")
        let runner = JobRunner(queue: queue, handler: try Self.handler(stages))
        func state(_ id: Int64) throws -> String {
            try db.query("SELECT state FROM source_videos WHERE id = $1", [id]).first!.decode("state")
        }
        let queued = try db.query("INSERT INTO source_videos (title, source_uri) VALUES ('q', 'https://x/q') RETURNING id").first!.decode("id", as: Int64.self)
        #expect(try dispatcher.dispatch(db) == 1)
        let job: Int64 = try db.query("SELECT id FROM jobs WHERE subject_id = $1", [queued]).first!.decode("id")
        #expect(try JobQueue.cancel(db, id: job, message: "cancelled by a test", subjects: transitions))
        #expect(try state(queued) == "download_failed")
        #expect(try dispatcher.dispatch(db) == 0, "the cancel sticks: no new job for the subject")
        #expect(try !JobQueue.cancel(db, id: job, message: "again", subjects: transitions), "a finished job cannot be cancelled")
        #expect(try JobQueue.retry(db, id: job, subjects: transitions))
        #expect(try state(queued) == "new")
        let claimed = try #require(try queue.claim(db, queue: "io", stages: ["download"]).first)
        #expect(try runner.run(claimed, on: db, progress: { _ in }, isCancelled: { false }) == .completed)
        #expect(try state(queued) == "downloaded")

        cancelMidWork.store(true, ordering: .sequentiallyConsistent)
        let running = try db.query("INSERT INTO source_videos (title, source_uri) VALUES ('r', 'https://x/r') RETURNING id").first!.decode("id", as: Int64.self)
        #expect(try dispatcher.dispatch(db) == 1)
        let live = try #require(try queue.claim(db, queue: "io", stages: ["download"]).first)
        #expect(try runner.run(live, on: db, progress: { _ in }, isCancelled: { false }) == .lostLease,
                "the work's result is not committed once its job is cancelled")
        #expect(try state(running) == "download_failed")
        let row = try #require(try db.query("SELECT state, error_message FROM source_videos WHERE id = $1", [running]).first)
        #expect(try row.decode("error_message", as: String.self) == "cancelled by a test")
        #expect(try db.query("SELECT state FROM jobs WHERE id = $1", [live.id]).first!.decode("state", as: String.self) == "cancelled")
        #expect(try dispatcher.dispatch(db) == 0)
    }
}
