@testable import Database
@testable import Domain
import Foundation
@testable import Queue
import Testing

/// The queue's promises, with real headless processes on a real Postgres.
@Suite(.timeLimit(.minutes(12))) struct JobQueueProcessTests {
    @Test func threeProcessesDrainAThousandJobsExactlyOnce() async throws {
        let queue = try await QueueFixture("drain")
        defer { queue.cleanUp() }
        // 5 ms each, so that one process cannot drain them all before the others start.
        try queue.noopJobs(1000, args: #"{"sleep_ms": 5}"#)
        let processes = try (0..<3).map { _ in try queue.launch(workers: 2) }
        let statuses = processes.map { queue.waitForExit($0) }
        #expect(statuses == [0, 0, 0])

        #expect(try queue.count("SELECT count(*) AS n FROM jobs WHERE state = 'completed'") == 1000)
        // Each completed job carries its structured result.
        #expect(try queue.count("SELECT count(*) AS n FROM jobs WHERE result->>'status' = 'completed'"
                                + " AND (result->>'duration_ms')::numeric >= 0 AND (result->>'job')::bigint = id") == 1000)
        // The table of executions: one attempt per job, each completed.
        #expect(try queue.count("SELECT count(*) AS n FROM job_attempts") == 1000)
        #expect(try queue.count("SELECT count(DISTINCT job_id) AS n FROM job_attempts WHERE outcome = 'completed'") == 1000)
        let workers = try queue.count("SELECT count(DISTINCT split_part(worker, '/', 2)) AS n FROM job_attempts")
        #expect(workers >= 2, "the work was shared between processes (\(workers) took part)")
    }

    @Test func aKilledWorkersJobIsFinishedByAnotherAfterItsLease() async throws {
        let queue = try await QueueFixture("kill9")
        defer { queue.cleanUp() }
        let ids = try queue.noopJobs(1, args: #"{"sleep_ms": 4000}"#)
        let doomed = try queue.launch(untilIdle: false, workers: 1, leaseSeconds: 5)
        #expect(try queue.waitUntil("SELECT count(*) AS n FROM job_attempts WHERE outcome = 'running'", equals: 1))
        kill(doomed.processIdentifier, SIGKILL)
        doomed.waitUntilExit()

        let rescuer = try queue.launch(untilIdle: true, workers: 1, leaseSeconds: 5)
        #expect(queue.waitForExit(rescuer) == 0)
        let attempts = try queue.db.query("SELECT attempt, outcome FROM job_attempts WHERE job_id = $1 ORDER BY attempt", [ids[0]])
            .map { "\(try $0.decode("attempt", as: Int.self)):\(try $0.decode("outcome", as: String.self))" }
        #expect(attempts == ["1:lost", "2:completed"])
        #expect(try queue.count("SELECT count(*) AS n FROM jobs WHERE state = 'completed'") == 1)
    }

    @Test func workersSurviveADatabaseRestart() async throws {
        let queue = try await QueueFixture("dbrestart-q")
        defer { queue.cleanUp() }
        try queue.noopJobs(120, args: #"{"sleep_ms": 100}"#)
        let worker = try queue.launch(untilIdle: true, workers: 2)
        #expect(try queue.waitUntil("SELECT least(count(*), 5)::int AS n FROM jobs WHERE state = 'completed'", equals: 5))
        #expect(try HeatersCLI.run(["db", "stop"], dataDirectory: queue.dir).status == 0)
        let restartedAt = Date()
        usleep(1_000_000)
        #expect(try HeatersCLI.run(["db", "start"], dataDirectory: queue.dir).status == 0)
        #expect(queue.waitForExit(worker) == 0)
        try queue.db.reconnect()
        #expect(try queue.count("SELECT count(*) AS n FROM jobs WHERE state = 'completed'") == 120)
        #expect(try queue.count("SELECT count(*) AS n FROM job_attempts WHERE outcome = 'completed'") == 120)
        // Work went on after the restart, through the same (reconnected) worker.
        #expect(try queue.count("SELECT count(*)::int AS n FROM jobs WHERE finished_at > $1", [restartedAt]) > 0)
        #expect(try queue.count("SELECT count(DISTINCT split_part(worker, '/', 2))::int AS n FROM job_attempts") == 1)
    }

    @Test func aFailingJobBacksOffThenIsDiscardedWithEveryErrorAndRetryBringsItBack() async throws {
        let queue = try await QueueFixture("retry")
        defer { queue.cleanUp() }
        let id = try queue.noopJobs(1, args: #"{"fail": true}"#, maxAttempts: 3)[0]
        #expect(queue.waitForExit(try queue.launch(workers: 1)) == 0)

        let job = try queue.db.query("SELECT state, attempt, jsonb_array_length(errors) AS errors FROM jobs WHERE id = $1", [id]).first!
        #expect(try job.decode("state", as: String.self) == "discarded")
        #expect(try job.decode("attempt", as: Int.self) == 3)
        #expect(try job.decode("errors", as: Int.self) == 3)
        let starts = try queue.db.query("""
            SELECT extract(epoch FROM started_at)::float8 AS t FROM job_attempts WHERE job_id = $1 ORDER BY attempt
            """, [id]).map { try $0.decode("t", as: Double.self) }
        #expect(starts.count == 3)
        if starts.count == 3 {
            let first = starts[1] - starts[0], second = starts[2] - starts[1]
            #expect(first >= 1.7, "waited \(first) s after attempt 1")
            #expect(second >= 3.5 && second > first, "waited \(second) s after attempt 2 (first \(first))")
        }

        let retry = try HeatersCLI.run(["retry", String(id)], dataDirectory: queue.dir)
        #expect(retry.status == 0, "\(retry.output)")
        #expect(try queue.db.query("SELECT state FROM jobs WHERE id = $1", [id]).first!.decode("state", as: String.self) == "available")
        // With fresh attempts it runs (and fails) again: the history keeps all four attempts.
        try queue.db.execute("UPDATE jobs SET max_attempts = 1 WHERE id = $1", [id])
        #expect(queue.waitForExit(try queue.launch(workers: 1)) == 0)
        #expect(try queue.count("SELECT count(*) AS n FROM job_attempts WHERE job_id = $1", [id]) == 4)
    }

    @Test func scheduledJobsWaitAndCancelledJobsNeverRun() async throws {
        let queue = try await QueueFixture("sched")
        defer { queue.cleanUp() }
        let runAt = Date().addingTimeInterval(3)
        let scheduled = try #require(try JobQueue.enqueue(queue.db, NewJob(stage: "noop", queue: "default", subjectID: 1, runAt: runAt)))
        let cancelled = try #require(try JobQueue.enqueue(queue.db, NewJob(stage: "noop", queue: "default", subjectID: 2)))
        #expect(try JobQueue.cancel(queue.db, id: cancelled))
        #expect(try JobQueue.enqueue(queue.db, NewJob(stage: "noop", queue: "default", subjectID: 1)) == nil,
                "one live job per stage and subject")

        #expect(queue.waitForExit(try queue.launch(workers: 2)) == 0)
        let started: Double = try queue.db.query("SELECT extract(epoch FROM started_at)::float8 AS t FROM job_attempts WHERE job_id = $1",
                                                 [scheduled]).first!.decode("t")
        #expect(started >= runAt.timeIntervalSince1970 - 0.05, "ran \(runAt.timeIntervalSince1970 - started) s early")
        #expect(try queue.count("SELECT count(*) AS n FROM job_attempts WHERE job_id = $1", [cancelled]) == 0)
        #expect(try queue.db.query("SELECT state FROM jobs WHERE id = $1", [cancelled]).first!.decode("state", as: String.self) == "cancelled")
    }

    @Test func sigtermReleasesTheRunningJobAndExitsZero() async throws {
        let queue = try await QueueFixture("sigterm")
        defer { queue.cleanUp() }
        let id = try queue.noopJobs(1, args: #"{"sleep_ms": 20000}"#)[0]
        let worker = try queue.launch(untilIdle: false, workers: 1)
        #expect(try queue.waitUntil("SELECT count(*) AS n FROM job_attempts WHERE outcome = 'running'", equals: 1))
        let sent = Date()
        kill(worker.processIdentifier, SIGTERM)
        #expect(queue.waitForExit(worker, timeout: 10) == 0)
        #expect(Date().timeIntervalSince(sent) < 5)
        let job = try queue.db.query("SELECT state, attempt, max_attempts FROM jobs WHERE id = $1", [id]).first!
        #expect(try job.decode("state", as: String.self) == "available")
        #expect(try job.decode("attempt", as: Int.self) == 1)
        #expect(try job.decode("max_attempts", as: Int.self) == 6, "a released attempt does not use up the allowance")
        #expect(try queue.count("SELECT count(*) AS n FROM job_attempts WHERE outcome = 'released'") == 1)

        // Picked up again: another run finishes it.
        try queue.db.execute("UPDATE jobs SET args = '{}' WHERE id = $1", [id])
        #expect(queue.waitForExit(try queue.launch(workers: 1)) == 0)
        #expect(try queue.db.query("SELECT state FROM jobs WHERE id = $1", [id]).first!.decode("state", as: String.self) == "completed")
    }
}
