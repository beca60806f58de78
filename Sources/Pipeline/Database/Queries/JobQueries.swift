import Domain
import Foundation

/// The job queue's statements as named queries taking plain values. The rules (who may
/// finish a job, what follows a failure) are `JobQueue`'s; these only run the SQL.
public enum JobQueries {
    /// Adds a job; its id, or nil when a live job for the same stage and subject exists.
    public static func enqueue(_ db: PostgresConnection, _ job: NewJob) throws -> Int64? {
        try db.query(JobSQL.enqueue, [job.stage, job.queue, job.subjectType, job.subjectID, job.maxAttempts,
                                      job.priority, job.args, job.runAt])
            .first?.decode("id")
    }

    /// Claims up to `limit` runnable jobs of `queue` among `stages` for `worker`.
    public static func claim(_ db: PostgresConnection, queue: String, limit: Int, worker: String,
                             leaseSeconds: Double, stages: [String]) throws -> [Job] {
        try db.query(JobSQL.claim, [queue, limit, worker, leaseSeconds, TextArray(stages)]).map { row in
            Job(id: try row.decode("id"), stage: try row.decode("stage"), queue: try row.decode("queue"),
                subjectType: try row.decode("subject_type"), subjectID: try row.decode("subject_id"),
                attempt: try row.decode("attempt"), maxAttempts: try row.decode("max_attempts"), args: try row.decode("args"))
        }
    }

    /// Renews the leases of running `jobs` held by workers whose names start with `holder`;
    /// returns those still held.
    public static func heartbeat(_ db: PostgresConnection, jobs: [Int64], holder: String, leaseSeconds: Double) throws -> Set<Int64> {
        Set(try db.query(JobSQL.heartbeat, [TextArray(jobs), holder, leaseSeconds]).map { try $0.decode("id") })
    }

    public static func reportProgress(_ db: PostgresConnection, job: Int64, _ value: Double) throws {
        try db.execute(JobSQL.progress, [job, value])
    }

    /// Completes attempt `attempt` of job `id` held by `worker`; false when not held.
    public static func complete(_ db: PostgresConnection, id: Int64, worker: String, attempt: Int, result: String) throws -> Bool {
        try !db.query(JobSQL.complete, [id, worker, attempt, result]).isEmpty
    }

    /// Records a failed attempt, discarded or retried after `delaySeconds`; false when not held.
    public static func fail(_ db: PostgresConnection, id: Int64, worker: String, attempt: Int, error: String,
                            discard: Bool, delaySeconds: Double) throws -> Bool {
        try !db.query(JobSQL.fail, [id, worker, attempt, error, discard, delaySeconds]).isEmpty
    }

    /// Puts a running job off for an outage; the wait in seconds, or nil when it is not held
    /// or its outages are used up.
    public static func postpone(_ db: PostgresConnection, id: Int64, worker: String, attempt: Int, error: String) throws -> Double? {
        try db.query(JobSQL.postpone, [id, worker, attempt, error]).first?.decode("wait")
    }

    /// Hands a running job back without spending an attempt; false when not held.
    public static func release(_ db: PostgresConnection, id: Int64, worker: String, attempt: Int) throws -> Bool {
        try !db.query(JobSQL.release, [id, worker, attempt]).isEmpty
    }

    /// A running job whose lease ran out, as `rescueExpired` returned it to the queue.
    public struct Expired: Sendable, Equatable {
        public var id: Int64
        public var discarded: Bool
        public var stage: String
        public var subjectType: String
        public var subjectID: Int64
        /// Losses so far (this one included) and the job's budget of them.
        public var losses: Int
        public var maxLosses: Int
    }

    public static func rescueExpired(_ db: PostgresConnection) throws -> [Expired] {
        try db.query(JobSQL.rescueExpired).map { row in
            Expired(id: try row.decode("id"), discarded: try row.decode("state", as: String.self) == JobState.discarded.rawValue,
                    stage: try row.decode("stage"), subjectType: try row.decode("subject_type"),
                    subjectID: try row.decode("subject_id"), losses: try row.decode("losses"),
                    maxLosses: try row.decode("max_losses"))
        }
    }

    public static func cancel(_ db: PostgresConnection, id: Int64) throws -> Bool {
        try cancelReturning(db, id: id) != nil
    }

    /// Cancels a job that has not finished; returns it (its stage and subject), nil when it
    /// had finished already.
    public static func cancelReturning(_ db: PostgresConnection, id: Int64) throws -> Revived? {
        try db.query(JobSQL.cancel, [id]).first.map(revived)
    }

    /// A job brought back by `retry` or `retryAllDiscarded`, or cancelled.
    public struct Revived: Sendable, Equatable {
        public var id: Int64
        public var stage: String
        public var subjectID: Int64
    }

    /// Brings a discarded or cancelled job back with fresh attempts; nil when it is neither.
    public static func retry(_ db: PostgresConnection, id: Int64) throws -> Revived? {
        try db.query(JobSQL.retry, [id]).first.map(revived)
    }

    /// Brings back the newest discarded job of every stage and subject that has no live job.
    public static func retryAllDiscarded(_ db: PostgresConnection) throws -> [Revived] {
        try db.query(JobSQL.retryAllDiscarded).map(revived)
    }

    private static func revived(_ row: PostgresRow) throws -> Revived {
        Revived(id: try row.decode("id"), stage: try row.decode("stage"), subjectID: try row.decode("subject_id"))
    }

    /// Deletes completed and cancelled jobs finished more than `seconds` ago.
    public static func prune(_ db: PostgresConnection, olderThanSeconds seconds: Double) throws -> Int {
        try db.execute(JobSQL.prune, [seconds])
    }

    /// Live jobs of `queues`, including ones scheduled for later.
    public static func pendingCount(_ db: PostgresConnection, queues: [String]) throws -> Int {
        try db.query(JobSQL.pendingCount, [TextArray(queues)]).first!.decode("n")
    }
}
