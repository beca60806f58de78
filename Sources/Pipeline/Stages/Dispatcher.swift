import Database

/// Turns database state into jobs: for every built stage, one job per subject waiting in
/// one of its input states. Idempotent (the unique index on live jobs makes a second run a
/// no-op), so every process may run it as often as it likes.
public struct Dispatcher: Sendable {
    public let stages: [Stage]

    public init(stages: [Stage] = StageTable.all) { self.stages = stages }

    /// Returns how many jobs it created.
    @discardableResult
    public func dispatch(_ db: PostgresConnection) throws -> Int {
        var created = 0
        for stage in stages where stage.work != nil && !stage.input.isEmpty {
            created += try SubjectQueries.dispatch(db, kind: stage.subject, stage: stage.name, queue: stage.queue,
                                                   maxAttempts: stage.maxAttempts, input: stage.input)
        }
        return created
    }
}
