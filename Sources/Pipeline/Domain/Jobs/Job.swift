import Foundation

/// A claimed job, as a worker sees it.
public struct Job: Sendable, Equatable {
    public var id: Int64
    public var stage: String
    public var queue: String
    public var subjectType: String
    public var subjectID: Int64
    /// 1 for the first attempt.
    public var attempt: Int
    public var maxAttempts: Int
    /// Stage-specific arguments (JSON).
    public var args: String

    public init(id: Int64, stage: String, queue: String, subjectType: String, subjectID: Int64, attempt: Int,
                maxAttempts: Int, args: String) {
        self.id = id
        self.stage = stage
        self.queue = queue
        self.subjectType = subjectType
        self.subjectID = subjectID
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.args = args
    }

    public func decodeArgs<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(args.utf8))
    }
}

/// A job to put in the queue.
public struct NewJob: Sendable {
    public var stage: String
    public var queue: String
    public var subjectType: String
    public var subjectID: Int64
    public var maxAttempts: Int
    public var priority: Int
    public var args: String
    /// When the job may run; nil means now.
    public var runAt: Date?

    public init(stage: String, queue: String, subjectType: String = SubjectKind.none.rawValue, subjectID: Int64, maxAttempts: Int = 5,
                priority: Int = 0, args: String = "{}", runAt: Date? = nil) {
        self.stage = stage
        self.queue = queue
        self.subjectType = subjectType
        self.subjectID = subjectID
        self.maxAttempts = maxAttempts
        self.priority = priority
        self.args = args
        self.runAt = runAt
    }
}
