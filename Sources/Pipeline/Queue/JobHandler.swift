import Database
import Domain

/// What the worker pool runs. The pipeline's stage table implements it; the queue sees only
/// this protocol, so it knows no stage, no object store and no media.
public protocol JobHandler: Sendable {
    /// The stages whose jobs this handler can run. Claims are limited to them: an older
    /// binary must not spend the attempts of stages it does not know.
    var runnableStages: [String] { get }

    /// The rows the jobs are about, and how they move with their jobs.
    var subjects: any JobSubjects { get }

    /// Does the work of a claimed job, once its subject is in the stage's working state;
    /// returns the result to store on the job and what to record with it. Throws
    /// `JobInterruption` to hand the job back untouched, `PermanentFailure` when no retry can
    /// help, and anything else to fail this attempt (retried while attempts are left).
    func perform(_ job: Job, context: JobContext) throws -> JobCompletion
}

/// What a job's work leaves: the result stored on the job (a JSON object) and the database
/// writes that record its output, which run inside the transaction that completes the job
/// after its lease was checked — so a worker whose job was taken over writes nothing, and
/// the output is recorded exactly when the subject takes its success state.
public struct JobCompletion: Sendable {
    public var result: String
    public var commit: (@Sendable (PostgresConnection) throws -> Void)?

    public init(result: String = "{}", commit: (@Sendable (PostgresConnection) throws -> Void)? = nil) {
        self.result = result
        self.commit = commit
    }
}

/// How the subjects of jobs (source videos, clips) move with them. The queue calls these
/// inside its own transactions, so that a job and its subject never disagree: a completed
/// job's subject is in its success state, a discarded job's in its failure state.
public protocol JobSubjects: Sendable {
    /// Creates the jobs the subjects' states call for, of the stages in `queues` only (nil:
    /// every queue); returns how many. Idempotent: one live job per stage and subject.
    func dispatch(_ db: PostgresConnection, queues: [String]?) throws -> Int

    /// Moves the job's subject into the stage's working state; false when it no longer waits
    /// for this stage (the job then completes as skipped).
    func begin(_ job: Job, on db: PostgresConnection) throws -> Bool

    /// Moves the subject to the stage's success state.
    func succeed(stage: String, subjectID: Int64, on tx: PostgresConnection) throws

    /// Marks the subject failed with `message` (its job used up its attempts).
    func fail(stage: String, subjectID: Int64, message: String, on tx: PostgresConnection) throws

    /// Brings the subject from the stage's failure state back to its input (a retried job).
    func revive(stage: String, subjectID: Int64, on tx: PostgresConnection) throws
}

/// What a job's work gets from the worker running it.
public struct JobContext: Sendable {
    /// The worker's own connection, outside any transaction.
    public let database: PostgresConnection
    /// Reports progress in [0, 1] (stored on the job row by the heartbeat).
    public let progress: @Sendable (Double) -> Void
    /// True once the worker is shutting down or the job was cancelled or taken over: long
    /// work should return by throwing `JobInterruption`.
    public let isCancelled: @Sendable () -> Bool

    public init(database: PostgresConnection, progress: @escaping @Sendable (Double) -> Void,
                isCancelled: @escaping @Sendable () -> Bool) {
        self.database = database
        self.progress = progress
        self.isCancelled = isCancelled
    }
}

/// Thrown by work that stopped because `isCancelled` said so: the job is released, not failed.
public struct JobInterruption: Error {
    public init() {}
}

/// Thrown for input that no retry can fix (not a video, a file that is not there): the job
/// is discarded at once and the subject marked failed with this message.
public struct PermanentFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
