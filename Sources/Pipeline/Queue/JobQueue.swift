import Database
import Domain
import Foundation

/// The job queue in Postgres, as one worker uses it. Every change is guarded by the worker's
/// identity and attempt number, so a worker that lost its lease (it stalled, another worker
/// took the job over) can neither complete nor fail a job that is no longer its own.
public struct JobQueue: Sendable {
    /// Who claims: recorded as `attempted_by`, e.g. "host/4242/media-1".
    public let worker: String
    /// How long a claim lasts without a heartbeat.
    public var lease: Duration
    public var backoff: BackoffPolicy

    public init(worker: String, lease: Duration = .seconds(30), backoff: BackoffPolicy = BackoffPolicy()) {
        self.worker = worker
        self.lease = lease
        self.backoff = backoff
    }

    /// Adds a job; returns its id, or nil when a live job for the same stage and subject exists.
    @discardableResult
    public static func enqueue(_ db: PostgresConnection, _ job: NewJob) throws -> Int64? {
        try JobQueries.enqueue(db, job)
    }

    /// Claims up to `limit` runnable jobs of `queue`, of the given stages only.
    public func claim(_ db: PostgresConnection, queue: String, limit: Int = 1, stages: [String]) throws -> [Job] {
        try JobQueries.claim(db, queue: queue, limit: limit, worker: worker, leaseSeconds: seconds(lease), stages: stages)
    }

    /// Renews the lease of running jobs held by workers whose names start with `holder` (one
    /// worker, or every worker of a process); returns those still held (a missing one was
    /// cancelled or taken over).
    @discardableResult
    public func heartbeat(_ db: PostgresConnection, jobs: [Int64], holder: String? = nil) throws -> Set<Int64> {
        try JobQueries.heartbeat(db, jobs: jobs, holder: holder ?? worker, leaseSeconds: seconds(lease))
    }

    /// Stores a running job's progress.
    public static func reportProgress(_ db: PostgresConnection, job: Int64, _ value: Double) throws {
        try JobQueries.reportProgress(db, job: job, value)
    }

    /// Marks the job completed; false when this worker no longer holds it.
    public func complete(_ db: PostgresConnection, _ job: Job, result: String = "{}") throws -> Bool {
        try JobQueries.complete(db, id: job.id, worker: worker, attempt: job.attempt, result: result)
    }

    /// Records a failed attempt: retried later, or discarded when attempts are used up.
    /// Returns what happened, or nil when this worker no longer holds the job.
    public func fail(_ db: PostgresConnection, _ job: Job, error: String, permanent: Bool = false,
                     random: Double = Double.random(in: 0..<1)) throws -> JobLifecycle.AfterFailure? {
        let next = permanent ? .discard
            : JobLifecycle.afterFailure(attempt: job.attempt, maxAttempts: job.maxAttempts, policy: backoff, random: random)
        var discard = false
        var delay = 0.0
        switch next {
        case .discard: discard = true
        case .retry(let wait): delay = seconds(wait)
        }
        let held = try JobQueries.fail(db, id: job.id, worker: worker, attempt: job.attempt, error: error,
                                       discard: discard, delaySeconds: delay)
        return held ? next : nil
    }

    /// Puts the job off because the infrastructure is unavailable (see `Outage`), spending
    /// no attempt; the wait, or nil when this worker no longer holds the job or its outages
    /// are used up (record a failure then).
    public func postpone(_ db: PostgresConnection, _ job: Job, error: String) throws -> Duration? {
        try JobQueries.postpone(db, id: job.id, worker: worker, attempt: job.attempt, error: error).map { .milliseconds(Int($0 * 1000)) }
    }

    /// Hands a job back untouched (clean shutdown); true when it was still this worker's.
    @discardableResult
    public func release(_ db: PostgresConnection, _ job: Job) throws -> Bool {
        try JobQueries.release(db, id: job.id, worker: worker, attempt: job.attempt)
    }

    /// A job whose worker died, as found by `rescueExpired`.
    public typealias Rescued = JobQueries.Expired

    /// Returns jobs whose lease ran out to the queue (or discards them when out of attempts).
    public static func rescueExpired(_ db: PostgresConnection) throws -> [Rescued] {
        try JobQueries.rescueExpired(db)
    }

    /// Cancels a job that has not finished; a running one stops at its next heartbeat.
    public static func cancel(_ db: PostgresConnection, id: Int64) throws -> Bool {
        try JobQueries.cancel(db, id: id)
    }

    /// A user's cancel of a stage job: the job is cancelled and its subject marked failed
    /// with `message` in one transaction, so that the dispatcher, which creates jobs from
    /// subjects' states, does not create it again; `retry` brings both back. False when the
    /// job had finished already.
    public static func cancel(_ db: PostgresConnection, id: Int64, message: String, subjects: any JobSubjects) throws -> Bool {
        try db.transaction { tx in
            guard let job = try JobQueries.cancelReturning(tx, id: id) else { return false }
            try subjects.fail(stage: job.stage, subjectID: job.subjectID, message: message, on: tx)
            return true
        }
    }

    /// Brings a discarded or cancelled job back with fresh attempts, and its subject from the
    /// stage's failure state back to the stage's input, in one transaction.
    public static func retry(_ db: PostgresConnection, id: Int64, subjects: any JobSubjects) throws -> Bool {
        try db.transaction { tx in
            guard let job = try JobQueries.retry(tx, id: id) else { return false }
            try subjects.revive(stage: job.stage, subjectID: job.subjectID, on: tx)
            return true
        }
    }

    /// Brings back every discarded job that has no live successor (and their subjects);
    /// returns their ids.
    public static func retryAllDiscarded(_ db: PostgresConnection, subjects: any JobSubjects) throws -> [Int64] {
        try db.transaction { tx in
            let jobs = try JobQueries.retryAllDiscarded(tx)
            for job in jobs { try subjects.revive(stage: job.stage, subjectID: job.subjectID, on: tx) }
            return jobs.map(\.id)
        }
    }

    /// Deletes completed and cancelled jobs finished longer ago than `age`.
    @discardableResult
    public static func prune(_ db: PostgresConnection, olderThan age: Duration) throws -> Int {
        try JobQueries.prune(db, olderThanSeconds: Double(age.components.seconds))
    }

    /// Jobs not yet final in `queues` (including ones scheduled for later).
    public static func pendingCount(_ db: PostgresConnection, queues: [String]) throws -> Int {
        try JobQueries.pendingCount(db, queues: queues)
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
