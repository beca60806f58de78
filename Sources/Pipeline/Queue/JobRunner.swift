import Database
import Domain
import Foundation
import Support

/// Carries out one claimed job: moves its subject to the stage's working state, runs the
/// handler's work, then completes the job and moves the subject on in one transaction — or
/// records the failure (and marks the subject failed once attempts are used up).
public struct JobRunner: Sendable {
    public let queue: JobQueue
    public let handler: any JobHandler

    public enum Outcome: Sendable, Equatable {
        case completed
        /// The subject had already moved past this stage: nothing to do.
        case skipped
        case failed(JobLifecycle.AfterFailure)
        /// Stopped for shutdown or cancellation and handed back.
        case released
        /// Another worker holds the job now (this one's lease ran out).
        case lostLease
        /// The infrastructure was unavailable: put off by `after`, no attempt spent.
        case postponed(after: Duration)
    }

    public init(queue: JobQueue, handler: any JobHandler) {
        self.queue = queue
        self.handler = handler
    }

    public func run(_ job: Job, on db: PostgresConnection, progress: @escaping @Sendable (Double) -> Void,
                    isCancelled: @escaping @Sendable () -> Bool) throws -> Outcome {
        guard handler.runnableStages.contains(job.stage) else {
            return try failure(job, message: "no stage named \"\(job.stage)\" is built into this heaters", db: db)
        }
        if try !handler.subjects.begin(job, on: db) {
            return try queue.complete(db, job, result: "{\"skipped\": \"the subject is no longer waiting for this stage\"}")
                ? .skipped : .lostLease
        }
        let completion: JobCompletion
        do {
            completion = try handler.perform(job, context: JobContext(database: db, progress: progress, isCancelled: isCancelled))
        } catch is JobInterruption {
            return try queue.release(db, job) ? .released : .lostLease
        } catch let error as PermanentFailure {
            guard let next = try recordFailure(job, message: error.description, permanent: true, on: db) else { return .lostLease }
            return .failed(next)
        } catch where Outage.isOutage(error) {
            return try postpone(job, message: "\(error)", db: db)
        } catch {
            return try failure(job, message: "\(error)", db: db)
        }
        do {
            return try db.transaction { tx in
                guard try queue.complete(tx, job, result: completion.result) else { throw LeaseLost() }
                try completion.commit?(tx)
                try handler.subjects.succeed(stage: job.stage, subjectID: job.subjectID, on: tx)
                Failpoint.hit("job-commit")  // inside the completing transaction, before it commits
                return .completed
            }
        } catch is LeaseLost {
            return .lostLease
        } catch let error as DatabaseError where error.isOutage && !error.isConnectionLoss {
            // The server refused the commit for want of resources (a full disk): the work is
            // done, but nothing of it was recorded; it is redone once the server has room.
            return try postpone(job, message: "\(error)", db: db)
        }
    }

    /// Puts the job off for an outage without spending an attempt; once its outages are used
    /// up, the outage counts as a failure. A lost connection throws (the caller reconnects
    /// and postpones again).
    public func postpone(_ job: Job, message: String, db: PostgresConnection) throws -> Outcome {
        if let wait = try queue.postpone(db, job, error: message) { return .postponed(after: wait) }
        return try failure(job, message: message, db: db)
    }

    private func failure(_ job: Job, message: String, db: PostgresConnection) throws -> Outcome {
        guard let next = try recordFailure(job, message: message, on: db) else { return .lostLease }
        return .failed(next)
    }

    /// Records a failed attempt; when it was the last, the subject is marked failed in the
    /// same transaction, so no dispatcher can see a discarded job beside a waiting subject.
    @discardableResult
    public func recordFailure(_ job: Job, message: String, permanent: Bool = false,
                              on db: PostgresConnection) throws -> JobLifecycle.AfterFailure? {
        try db.transaction { tx in
            guard let next = try queue.fail(tx, job, error: message, permanent: permanent) else { return nil }
            if next == .discard { try handler.subjects.fail(stage: job.stage, subjectID: job.subjectID, message: message, on: tx) }
            return next
        }
    }

    /// Returns jobs of lost workers to the queue; the subjects of those out of attempts are
    /// marked failed in the same transaction.
    public func rescueExpired(on db: PostgresConnection) throws -> [JobQueue.Rescued] {
        try db.transaction { tx in
            let rescued = try JobQueue.rescueExpired(tx)
            for job in rescued where job.discarded {
                try handler.subjects.fail(stage: job.stage, subjectID: job.subjectID,
                                          message: "the worker running it was lost \(job.losses) times (crashed or killed "
                                            + "each time): if the input crashes every worker, look at it; heaters retry brings it back",
                                          on: tx)
            }
            return rescued
        }
    }

    struct LeaseLost: Error {}
}
