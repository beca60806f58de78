import Database
import Domain
import Foundation
import Storage
import Support

/// One row of the pipeline's stage table: where the stage takes work from, what it sets
/// while working and after, which queue runs it, and the function that does the work.
public struct Stage: Sendable {
    public let name: String
    /// What the stage's jobs are about.
    public let subject: SubjectKind
    /// States the dispatcher makes jobs for (raw values of `SourceVideoState` or
    /// `ClipState`). The working state is among them, so work that a crash interrupted is
    /// picked up again.
    public let input: [String]
    public let working: String?
    public let success: String?
    public let failure: String?
    public let queue: String
    public let maxAttempts: Int
    /// Does the work; nil while the stage is not built yet (the dispatcher then leaves its
    /// subjects alone rather than pretending to process them).
    public let work: (@Sendable (StageContext) throws -> StageResult)?
    /// For a stage whose subject has no states (a review action): what to do, in the same
    /// transaction, when its job is discarded (attempts used up) with this message.
    public let onDiscard: (@Sendable (PostgresConnection, Int64, String) throws -> Void)?

    /// A stage about rows whose states are `State` (source videos or clips): typed, so a
    /// stage cannot name a state that does not exist or mix two kinds of row.
    public init<State: SubjectState>(name: String, input: [State], working: State?, success: State?, failure: State?,
                                     queue: String, maxAttempts: Int,
                                     work: (@Sendable (StageContext) throws -> StageResult)?) {
        self.name = name
        self.subject = State.subject
        self.input = input.map(\.rawValue)
        self.working = working?.rawValue
        self.success = success?.rawValue
        self.failure = failure?.rawValue
        self.queue = queue
        self.maxAttempts = maxAttempts
        self.work = work
        self.onDiscard = nil
    }

    /// A stage about no row (diagnostics), or about a row with no states of its own (a review
    /// action): its jobs are enqueued by whoever needs them, never dispatched.
    public init(name: String, subject: SubjectKind = .none, queue: String, maxAttempts: Int,
                onDiscard: (@Sendable (PostgresConnection, Int64, String) throws -> Void)? = nil,
                work: (@Sendable (StageContext) throws -> StageResult)?) {
        self.name = name
        self.subject = subject
        self.input = []
        self.working = nil
        self.success = nil
        self.failure = nil
        self.queue = queue
        self.maxAttempts = maxAttempts
        self.work = work
        self.onDiscard = onDiscard
    }
}

/// What the work function gets: the job, the services it may use, a way to report
/// progress, and whether to stop.
public struct StageContext: Sendable {
    public let job: Job
    public let services: StageServices
    /// Reports progress in [0, 1] (stored on the job row by the heartbeat).
    public let progress: @Sendable (Double) -> Void
    /// True once the worker is shutting down or the job was cancelled: long work should
    /// return by throwing `JobInterruption`.
    public let isCancelled: @Sendable () -> Bool
}

extension StageContext {
    /// An empty folder for this attempt's files, `<scratch>/<label>-<subject>-<attempt>`
    /// (whatever an earlier run of the same attempt left there is removed). The caller
    /// removes it when done; folders of dead processes are swept at start-up.
    public func freshScratchFolder(_ label: String) throws -> URL {
        let folder = services.scratch.appendingPathComponent("\(label)-\(job.subjectID)-\(job.attempt)")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

/// Structured result stored on the job row (JSON text), and the database writes recording the
/// stage's output, run in the transaction that completes the job (see `JobCompletion`).
public struct StageResult: Sendable {
    public var json: String
    public var commit: (@Sendable (PostgresConnection) throws -> Void)?

    public init(json: String = "{}", commit: (@Sendable (PostgresConnection) throws -> Void)? = nil) {
        self.json = json
        self.commit = commit
    }
}

/// What stages may use besides the job: the worker's own database connection (outside any
/// transaction; SQL runs only through the Database module's named queries), the object
/// store, a scratch folder, and the Python tools.
public struct StageServices: Sendable {
    public let database: PostgresConnection
    public let storage: any ObjectStore
    public let scratch: URL
    public let tools: PythonTools?
    public let settings: StageSettings

    public init(database: PostgresConnection, storage: any ObjectStore, scratch: URL, tools: PythonTools?,
                settings: StageSettings = StageSettings()) {
        self.database = database
        self.storage = storage
        self.scratch = scratch
        self.tools = tools
        self.settings = settings
    }
}
