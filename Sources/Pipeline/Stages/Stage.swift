import Foundation

/// One row of the pipeline's stage table: where the stage takes work from, what it sets
/// while working and after, which queue runs it, and the function that does the work.
public struct Stage: Sendable {
    /// What a stage works on.
    public enum Subject: String, Sendable, CaseIterable {
        case sourceVideo = "source_video"
        case clip
        /// Jobs that are not about a row (diagnostics, benchmarks).
        case none
    }

    public let name: String
    public let subject: Subject
    /// States the dispatcher makes jobs for. The working state is among them, so work that
    /// a crash interrupted is picked up again.
    public let input: [String]
    public let working: String?
    public let success: String?
    public let failure: String?
    public let queue: String
    public let maxAttempts: Int
    /// Does the work; nil while the stage is not built yet (the dispatcher then leaves its
    /// subjects alone rather than pretending to process them).
    public let work: (@Sendable (StageContext) throws -> StageResult)?

    public init(name: String, subject: Subject, input: [String], working: String?, success: String?, failure: String?,
                queue: String, maxAttempts: Int, work: (@Sendable (StageContext) throws -> StageResult)?) {
        self.name = name
        self.subject = subject
        self.input = input
        self.working = working
        self.success = success
        self.failure = failure
        self.queue = queue
        self.maxAttempts = maxAttempts
        self.work = work
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
    /// return by throwing `StageInterruption`.
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

/// Structured result stored on the job row (JSON text).
public struct StageResult: Sendable {
    public var json: String
    public init(json: String = "{}") { self.json = json }
}

/// Thrown by work that stopped because `isCancelled` said so: the job is released, not failed.
public struct StageInterruption: Error {
    public init() {}
}

/// Thrown for input that no retry can fix (not a video, a file that is not there): the job
/// is discarded at once and the subject marked failed with this message.
public struct PermanentFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// What stages may use besides the job: the worker's own database connection (outside any
/// transaction), the object store, a scratch folder, and the Python tools.
public struct StageServices: Sendable {
    public let database: PostgresConnection
    public let storage: (any ObjectStore)?
    public let scratch: URL
    public let tools: PythonTools?

    public init(database: PostgresConnection, storage: (any ObjectStore)?, scratch: URL, tools: PythonTools?) {
        self.database = database
        self.storage = storage
        self.scratch = scratch
        self.tools = tools
    }
}
