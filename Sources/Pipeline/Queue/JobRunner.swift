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

    public func run(_ job: Job, on db: PostgresConnection, services: StageServices? = nil,
                    progress: @escaping @Sendable (Double) -> Void,
                    isCancelled: @escaping @Sendable () -> Bool) throws -> Outcome {
        let services = services ?? StageServices(database: db, storage: nil,
                                                 scratch: FileManager.default.temporaryDirectory, tools: nil)
        guard let stage = stages.first(where: { $0.name == job.stage }), let work = stage.work else {
            return try failure(job, stage: nil, message: "no stage named \"\(job.stage)\" is built into this heaters", db: db)
        }
        let sql = StageSQL.statements(for: stage.subject)
        if let sql, let working = stage.working {
            // Not from the failure state: a failed subject comes back only through `heaters retry`.
            let from = stage.input + [working]
            if try db.query(sql.begin, [job.subjectID, working, JobQueue.array(from)]).isEmpty {
                return try queue.complete(db, job, result: "{\"skipped\": \"the subject is no longer waiting for this stage\"}")
                    ? .skipped : .lostLease
            }
        }
        let result: StageResult
        do {
            result = try work(StageContext(job: job, services: services, progress: progress, isCancelled: isCancelled))
        } catch is StageInterruption {
            return try queue.release(db, job) ? .released : .lostLease
        } catch let error as PermanentFailure {
            guard let next = try recordFailure(job, message: error.description, permanent: true, on: db) else { return .lostLease }
            return .failed(next)
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
            if next == .discard { try markSubjectFailed(stage: job.stage, subjectID: job.subjectID, message: message, on: tx) }
            return next
        }
    }

    /// Returns jobs of lost workers to the queue; the subjects of those out of attempts are
    /// marked failed in the same transaction.
    public func rescueExpired(on db: PostgresConnection) throws -> [JobQueue.Rescued] {
        try db.transaction { tx in
            let rescued = try JobQueue.rescueExpired(tx)
            for job in rescued where job.discarded {
                try markSubjectFailed(stage: job.stage, subjectID: job.subjectID,
                                      message: "the worker running it was lost on every attempt", on: tx)
            }
            return rescued
        }
    }

    private func markSubjectFailed(stage name: String, subjectID: Int64, message: String, on db: PostgresConnection) throws {
        guard let stage = stages.first(where: { $0.name == name }), let failed = stage.failure,
              let sql = StageSQL.statements(for: stage.subject) else { return }
        let from = (stage.working.map { [$0] } ?? []) + stage.input
        _ = try db.query(sql.markFailed, [subjectID, failed, message, JobQueue.array(from)])
    }

    struct LeaseLost: Error {}
}
