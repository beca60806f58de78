import Database
import Domain
import Queue

/// The stage table as the queue sees its jobs' subjects: which state a subject takes when
/// its stage's job starts, completes, is discarded or is retried.
public struct StageTransitions: JobSubjects {
    public let stages: [Stage]

    public init(stages: [Stage]) { self.stages = stages }

    public func dispatch(_ db: PostgresConnection, queues: [String]?) throws -> Int {
        let chosen = queues.map { names in stages.filter { names.contains($0.queue) } } ?? stages
        return try Dispatcher(stages: chosen).dispatch(db)
    }

    public func begin(_ job: Job, on db: PostgresConnection) throws -> Bool {
        guard let stage = stage(job.stage), let working = stage.working else { return true }
        // Not from the failure state: a failed subject comes back only through `heaters retry`.
        return try SubjectQueries.begin(db, kind: stage.subject, id: job.subjectID, working: working,
                                        from: stage.input + [working])
    }

    public func succeed(stage name: String, subjectID: Int64, on tx: PostgresConnection) throws {
        guard let stage = stage(name), let success = stage.success else { return }
        try SubjectQueries.succeed(tx, kind: stage.subject, id: subjectID, state: success, from: origins(stage))
    }

    public func fail(stage name: String, subjectID: Int64, message: String, on tx: PostgresConnection) throws {
        guard let stage = stage(name) else { return }
        if let onDiscard = stage.onDiscard { try onDiscard(tx, subjectID, message) }
        guard let failed = stage.failure else { return }
        try SubjectQueries.markFailed(tx, kind: stage.subject, id: subjectID, state: failed, message: message,
                                      from: origins(stage))
    }

    public func revive(stage name: String, subjectID: Int64, on tx: PostgresConnection) throws {
        guard let stage = stage(name), let failure = stage.failure, let input = stage.input.first else { return }
        try SubjectQueries.succeed(tx, kind: stage.subject, id: subjectID, state: input, from: [failure])
    }

    private func stage(_ name: String) -> Stage? { stages.first { $0.name == name } }

    /// The states a subject of `stage` is in while its job lives.
    private func origins(_ stage: Stage) -> [String] { (stage.working.map { [$0] } ?? []) + stage.input }
}
