@testable import Database
@testable import Domain
import Foundation
@testable import Queue
import Testing

/// The queue's statements in one process, against a real database.
@Suite(.timeLimit(.minutes(12))) struct JobQueueTests {
    @Test func claimsByPriorityThenAgeWithinItsQueue() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        let old = Date().addingTimeInterval(-60)
        let low = try #require(try JobQueue.enqueue(db, NewJob(stage: "noop", queue: "q", subjectID: 1, runAt: old)))
        let high = try #require(try JobQueue.enqueue(db, NewJob(stage: "noop", queue: "q", subjectID: 2, priority: 5)))
        let lowNewer = try #require(try JobQueue.enqueue(db, NewJob(stage: "noop", queue: "q", subjectID: 3)))
        try JobQueue.enqueue(db, NewJob(stage: "noop", queue: "other", subjectID: 4))
        let queue = JobQueue(worker: "test/1/a")
        #expect(try queue.claim(db, queue: "q", stages: ["noop"]).map(\.id) == [high])
        #expect(try queue.claim(db, queue: "q", stages: ["noop"]).map(\.id) == [low])

        #expect(try queue.claim(db, queue: "q", limit: 5, stages: ["noop"]).map(\.id) == [lowNewer])
        #expect(try queue.claim(db, queue: "q", stages: ["noop"]).isEmpty)
    }

    @Test func aStalledWorkerCannotFinishAJobThatWasTakenOver() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        try JobQueue.enqueue(db, NewJob(stage: "noop", queue: "q", subjectID: 1))
        let slow = JobQueue(worker: "host/1/slow", lease: .milliseconds(100))
        let job = try #require(try slow.claim(db, queue: "q", stages: ["noop"]).first)
        usleep(300_000)
        #expect(try JobQueue.rescueExpired(db).map(\.id) == [job.id])
        try db.execute("UPDATE jobs SET scheduled_at = now() WHERE id = $1", [job.id])  // the loss's backoff, skipped
        let fast = JobQueue(worker: "host/2/fast")
        let again = try #require(try fast.claim(db, queue: "q", stages: ["noop"]).first)
        #expect(again.attempt == 2)
        #expect(try slow.complete(db, job) == false)
        #expect(try slow.fail(db, job, error: "late") == nil)
        #expect(try fast.complete(db, again))
        let outcomes = try db.query("SELECT outcome FROM job_attempts WHERE job_id = $1 ORDER BY attempt", [job.id])
            .map { try $0.decode("outcome", as: String.self) }
        #expect(outcomes == ["lost", "completed"])
    }

    /// A lost worker is not the job's fault: losses spend their own budget of 10, each retried
    /// after a growing wait (2, 4, … 60 s), and leave the failure attempts whole.
    @Test func lossesSpendTheirOwnBudgetWithBackoffNotTheJobsAttempts() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        let id = try #require(try JobQueue.enqueue(db, NewJob(stage: "noop", queue: "q", subjectID: 1, maxAttempts: 3)))
        let dying = JobQueue(worker: "host/1/dying", lease: .milliseconds(50))
        func loseOnce() throws -> JobQueue.Rescued? {
            try db.execute("UPDATE jobs SET scheduled_at = now() WHERE id = $1", [id])  // skip the wait
            _ = try #require(try dying.claim(db, queue: "q", stages: ["noop"]).first)
            usleep(120_000)
            return try JobQueue.rescueExpired(db).first
        }
        for loss in 1...9 {
            let rescued = try #require(try loseOnce())
            #expect(!rescued.discarded && rescued.losses == loss && rescued.maxLosses == 10)
            let row = try #require(try db.query("""
                SELECT state, max_attempts, extract(epoch FROM scheduled_at - now())::float8 AS wait FROM jobs WHERE id = $1
                """, [id]).first)
            #expect(try row.decode("state", as: String.self) == "retryable", "loss \(loss) of a 3-attempt job")
            #expect(try row.decode("max_attempts", as: Int.self) == 3 + loss, "no failure attempt spent")
            let wait: Double = try row.decode("wait")
            let expected = min(60, pow(2, Double(loss)))
            #expect(wait > expected - 1.5 && wait <= expected, "loss \(loss): retried after \(wait) s")
        }
        // After nine losses the job still has its three failure attempts…
        try db.execute("UPDATE jobs SET scheduled_at = now() WHERE id = $1", [id])
        let worker = JobQueue(worker: "host/2/ok")
        let job = try #require(try worker.claim(db, queue: "q", stages: ["noop"]).first)
        #expect(job.attempt == 10 && job.maxAttempts == 12)
        #expect(try worker.fail(db, job, error: "a real failure", random: 0) != .discard)
        // … and the tenth loss discards it: an input that kills every worker stops there.
        let tenth = try #require(try loseOnce())
        #expect(tenth.discarded && tenth.losses == 10)
        #expect(try db.query("SELECT state FROM jobs WHERE id = $1", [id]).first!.decode("state", as: String.self) == "discarded")
        // A retry starts the losses afresh.
        #expect(try JobQueries.retry(db, id: id) != nil)
        #expect(try db.query("SELECT losses FROM jobs WHERE id = $1", [id]).first!.decode("losses", as: Int.self) == 0)
    }

    @Test func pruningRemovesOnlyOldFinishedJobs() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        for subject in 1...4 { try JobQueue.enqueue(db, NewJob(stage: "noop", queue: "q", subjectID: Int64(subject))) }
        try db.execute("UPDATE jobs SET state = 'completed', finished_at = now() - interval '10 days' WHERE subject_id IN (1, 2)")
        try db.execute("UPDATE jobs SET state = 'completed', finished_at = now() WHERE subject_id = 3")
        try db.execute("UPDATE jobs SET state = 'discarded', finished_at = now() - interval '10 days' WHERE subject_id = 4")
        #expect(try JobQueue.prune(db, olderThan: .seconds(7 * 86_400)) == 2)
        let left = try db.query("SELECT subject_id FROM jobs ORDER BY subject_id").map { try $0.decode("subject_id", as: Int.self) }
        #expect(left == [3, 4], "recent and failed jobs stay")
    }
}
