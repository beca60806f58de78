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
        try db.query(JobSQL.enqueue, [job.stage, job.queue, job.subjectType, job.subjectID, job.maxAttempts,
                                      job.priority, job.args, job.runAt])
            .first?.decode("id")
    }

    /// Claims up to `limit` runnable jobs of `queue`, of the given stages only.
    public func claim(_ db: PostgresConnection, queue: String, limit: Int = 1,
                      stages: [String] = StageTable.all.filter { $0.work != nil }.map(\.name)) throws -> [Job] {
        try db.query(JobSQL.claim, [queue, limit, worker, seconds(lease), Self.array(stages)]).map(Job.init(row:))
    }

    /// Renews the lease of running jobs held by workers whose names start with `holder` (one
    /// worker, or every worker of a process); returns those still held (a missing one was
    /// cancelled or taken over).
    @discardableResult
    public func heartbeat(_ db: PostgresConnection, jobs: [Int64], holder: String? = nil) throws -> Set<Int64> {
        Set(try db.query(JobSQL.heartbeat, [Self.array(jobs), holder ?? worker, seconds(lease)]).map { try $0.decode("id") })
    }

    /// Stores a running job's progress.
    public static func reportProgress(_ db: PostgresConnection, job: Int64, _ value: Double) throws {
        try db.execute(JobSQL.progress, [job, value])
    }

    /// Marks the job completed; false when this worker no longer holds it.
    public func complete(_ db: PostgresConnection, _ job: Job, result: String = "{}") throws -> Bool {
        try !db.query(JobSQL.complete, [job.id, worker, job.attempt, result]).isEmpty
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
        let rows = try db.query(JobSQL.fail, [job.id, worker, job.attempt, error, discard, delay])
        return rows.isEmpty ? nil : next
    }

    /// Hands a job back untouched (clean shutdown); true when it was still this worker's.
    @discardableResult
    public func release(_ db: PostgresConnection, _ job: Job) throws -> Bool {
        try !db.query(JobSQL.release, [job.id, worker, job.attempt]).isEmpty
    }

    /// A job whose worker died, as found by `rescueExpired`.
    public struct Rescued: Sendable, Equatable {
        public var id: Int64
        public var discarded: Bool
        public var stage: String
        public var subjectType: String
        public var subjectID: Int64
    }

    /// Returns jobs whose lease ran out to the queue (or discards them when out of attempts).
    public static func rescueExpired(_ db: PostgresConnection) throws -> [Rescued] {
        try db.query(JobSQL.rescueExpired).map { row in
            Rescued(id: try row.decode("id"), discarded: try row.decode("state", as: String.self) == JobState.discarded.rawValue,
                    stage: try row.decode("stage"), subjectType: try row.decode("subject_type"),
                    subjectID: try row.decode("subject_id"))
        }
    }

    /// Cancels a job that has not finished; a running one stops at its next heartbeat.
    public static func cancel(_ db: PostgresConnection, id: Int64) throws -> Bool {
        try !db.query(JobSQL.cancel, [id]).isEmpty
    }

    /// Brings a discarded or cancelled job back with fresh attempts, and its subject from the
    /// stage's failure state back to the stage's input, in one transaction.
    public static func retry(_ db: PostgresConnection, id: Int64, stages: [Stage] = StageTable.all) throws -> Bool {
        try db.transaction { tx in
            guard let row = try tx.query(JobSQL.retry, [id]).first else { return false }
            try reviveSubject(tx, stage: try row.decode("stage"), subjectID: try row.decode("subject_id"), stages: stages)
            return true
        }
    }

    /// Brings back every discarded job that has no live successor (and their subjects);
    /// returns their ids.
    public static func retryAllDiscarded(_ db: PostgresConnection, stages: [Stage] = StageTable.all) throws -> [Int64] {
        try db.transaction { tx in
            let rows = try tx.query(JobSQL.retryAllDiscarded)
            for row in rows {
                try reviveSubject(tx, stage: try row.decode("stage"), subjectID: try row.decode("subject_id"), stages: stages)
            }
            return try rows.map { try $0.decode("id") }
        }
    }

    private static func reviveSubject(_ db: PostgresConnection, stage name: String, subjectID: Int64, stages: [Stage]) throws {
        guard let stage = stages.first(where: { $0.name == name }), let failure = stage.failure,
              let input = stage.input.first, let sql = StageSQL.statements(for: stage.subject) else { return }
        _ = try db.query(sql.succeed, [subjectID, input, array([failure])])
    }

    /// Deletes completed and cancelled jobs finished longer ago than `age`.
    @discardableResult
    public static func prune(_ db: PostgresConnection, olderThan age: Duration) throws -> Int {
        try db.execute(JobSQL.prune, [Double(age.components.seconds)])
    }

    /// Jobs not yet final in `queues` (including ones scheduled for later).
    public static func pendingCount(_ db: PostgresConnection, queues: [String]) throws -> Int {
        try db.query(JobSQL.pendingCount, [array(queues)]).first!.decode("n")
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// A Postgres array literal of plain values (ids, queue names), bound as one parameter.
    static func array<T>(_ values: [T]) -> String {
        "{" + values.map { "\"\(String(describing: $0).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\"" }
            .joined(separator: ",") + "}"
    }
}
