import Foundation

/// What a decision did: one action per decision (a batch shares a batch id).
public struct ReviewReceipt: Sendable, Equatable, Encodable {
    public struct Action: Sendable, Equatable, Encodable {
        public var id: Int64
        public var action: String
        public var clip: Int64
        /// Merge and split: the job that lands it, at `settlesAt`.
        public var scheduled: Bool
        public var jobID: Int64?
        /// The end of its undo window (for a merge or split, when it lands).
        public var settlesAt: Date

        enum CodingKeys: String, CodingKey {
            case id, action, clip, scheduled
            case jobID = "job_id", settlesAt = "settles_at"
        }
    }

    public var actions: [Action]
    public var batchID: UUID?
    /// True when the request id had been applied before: nothing changed this time.
    public var replayed: Bool

    enum CodingKeys: String, CodingKey {
        case actions, replayed
        case batchID = "batch_id"
    }
}

/// What an undo did.
public struct UndoReceipt: Sendable, Equatable, Encodable {
    /// The undo's own log entry.
    public var id: Int64
    public var undid: [Int64]
    /// Scheduled merges or splits cancelled before they landed.
    public var cancelled: [Int64]
    /// Clips made live again and clips retired by the undo.
    public var revived: [Int64]
    public var retired: [Int64]
}

/// What landing a scheduled merge or split did.
public enum LandingResult: Sendable, Equatable {
    case landed(created: [Int64])
    /// Undone, landed or failed before: nothing to do (a retried job finds this).
    case nothingToDo(String)
    case failed(String)
}
