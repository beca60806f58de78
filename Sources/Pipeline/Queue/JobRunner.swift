import Foundation

/// Carries out one claimed job: moves its subject to the stage's working state, runs the
/// stage's work, then completes the job and moves the subject on in one transaction — or
/// records the failure (and marks the subject failed once attempts are used up).
public struct JobRunner: Sendable {
    public let queue: JobQueue
    public let stages: [Stage]

    public enum Outcome: Sendable, Equatable {
        case completed
        /// The subject had already moved past this stage: nothing to do.
        case skipped
        case failed(JobLifecycle.AfterFailure)
        /// Stopped for shutdown or cancellation and handed back.
        case released
        /// Another worker holds the job now (this one's lease ran out).
        case lostLease
    }

    public init(queue: JobQueue, stages: [Stage]) {
        self.queue = queue
        self.stages = stages
    }

    public func run(_ job: Job, on db: PostgresConnection, progress: @escaping @Sendable (Double) -> Void,
                    isCancelled: @escaping @Sendable () -> Bool) throws -> Outcome {
        guard let stage = stages.first(where: { $0.name == job.stage }), let work = stage.work else {
            return try failure(job, stage: nil, message: "no stage named \"\(job.stage)\" is built into this heaters", db: db)
        }
        let sql = StageSQL.statements(for: stage.subject)
        if let sql, let working = stage.working {
            let from = stage.input + [working] + (stage.failure.map { [$0] } ?? [])
            if try db.query(sql.begin, [job.subjectID, working, JobQueue.array(from)]).isEmpty {
                return try queue.complete(db, job, result: "{\"skipped\": \"the subject is no longer waiting for this stage\"}")
                    ? .skipped : .lostLease
            }
        }
        let result: StageResult
        do {
            result = try work(StageContext(job: job, progress: progress, isCancelled: isCancelled))
        } catch is StageInterruption {
            return try queue.release(db, job) ? .released : .lostLease
        } catch {
            return try failure(job, stage: stage, message: "\(error)", db: db)
        }
        do {
            return try db.transaction { tx in
                guard try queue.complete(tx, job, result: result.json) else { throw LeaseLost() }
                if let sql, let success = stage.success {
                    let from = (stage.working.map { [$0] } ?? []) + stage.input
                    _ = try tx.query(sql.succeed, [job.subjectID, success, JobQueue.array(from)])
                }
                return .completed
            }
        } catch is LeaseLost {
            return .lostLease
        }
    }

    private func failure(_ job: Job, stage: Stage?, message: String, db: PostgresConnection) throws -> Outcome {
        guard let next = try queue.fail(db, job, error: message) else { return .lostLease }
        if next == .discard, let stage, let failed = stage.failure, let sql = StageSQL.statements(for: stage.subject) {
            let from = (stage.working.map { [$0] } ?? []) + stage.input
            _ = try db.query(sql.markFailed, [job.subjectID, failed, message, JobQueue.array(from)])
        }
        return .failed(next)
    }

    /// Marks the subjects of jobs discarded by lease expiry as failed.
    public func markRescued(_ rescued: [JobQueue.Rescued], on db: PostgresConnection) throws {
        for job in rescued where job.discarded {
            guard let stage = stages.first(where: { $0.name == job.stage }), let failed = stage.failure,
                  let sql = StageSQL.statements(for: stage.subject) else { continue }
            let from = (stage.working.map { [$0] } ?? []) + stage.input
            _ = try db.query(sql.markFailed, [job.subjectID, failed, "the worker running it was lost too many times", JobQueue.array(from)])
        }
    }

    struct LeaseLost: Error {}
}
