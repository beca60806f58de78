import Domain
import Foundation
import Media

/// Everything the review station needs from the database and storage, as a protocol: the
/// station never sees SQL, a connection or a store. The App implements it with the Database
/// module's queries and the review service. Every call blocks; the station makes them on its
/// effect runner's threads, never on the main thread.
public protocol ReviewBackend: Sendable {
    /// Opens a reviewer session (its claims live while it is renewed); returns its id.
    func startSession() throws -> String
    /// Renews the session's lease; false when it expired meanwhile (a new one is needed).
    func renewSession(_ session: String) throws -> Bool
    /// Ends the session and frees its claims.
    func endSession(_ session: String) throws
    /// Claims pending clips of `clip`'s source from the clip before it on (or the first free
    /// run when nil); returns the clips the session holds.
    func claim(session: String, around clip: QueueEntry?, count: Int) throws -> [Int64]

    /// Pending clips in review order after `entry` (from the start when nil), and how many
    /// are pending in all, under `filter`.
    func queuePage(session: String?, after entry: QueueEntry?, filter: QueueFilter, limit: Int) throws -> QueuePage
    /// Clips by id as they are now (live ones only).
    func entries(ids: [Int64]) throws -> [QueueEntry]
    /// The live clips before and after a clip in its source.
    func neighbours(of clip: Int64) throws -> ClipNeighbours
    /// A live clip to go to: by id, or the clip of `source` holding `frame`.
    func locate(clip: Int64?, source: Int64?, frame: Int?) throws -> QueueEntry?

    /// Applies decisions as one request (a batch when several).
    func decide(_ decisions: [ReviewDecision], seen: [Int64: Int], request: UUID, session: String?) throws -> DecisionReply
    /// Undoes an action (the reviewer's latest when nil).
    func undo(_ action: Int64?, session: String?) throws -> DecisionReply
    /// The reviewer's recent and pending actions, newest first.
    func tray(session: String?) throws -> [TrayItem]
    /// The pipeline line: counts, running jobs, warnings.
    func pipeline() throws -> PipelineSummary

    /// The clips most like `clip` (nearest first) through the similarity index. Throws with a
    /// message a reviewer can act on when the clip cannot be compared yet.
    func similar(to clip: Int64, limit: Int) throws -> SimilarClips

    /// `:timeline`: writes a source's reviewed cut as an editor's timeline file. Throws with a
    /// message a reviewer can act on (no clips approved yet, an unwritable path).
    func writeTimeline(_ request: TimelineFileRequest) throws -> TimelineFileWritten

    /// The frames of a source's proxy (opened once per source, kept).
    func frames(source: Int64) throws -> FrameSource

    /// True when `error` means the database is unreachable (the station then waits and retries).
    func isConnectionLoss(_ error: any Error) -> Bool
}

/// What `:timeline` asks for: one source's clips in a format, written to a path (relative to
/// the station's working folder).
public struct TimelineFileRequest: Sendable, Equatable {
    public var sourceID: Int64
    public var format: TimelineFormat
    public var selection: TimelineSelection
    public var path: String

    public init(sourceID: Int64, format: TimelineFormat, selection: TimelineSelection, path: String) {
        self.sourceID = sourceID
        self.format = format
        self.selection = selection
        self.path = path
    }
}

/// The answer to `:timeline`: the files written and how many clips they hold.
public struct TimelineFileWritten: Sendable, Equatable {
    public var paths: [String]
    public var clipCount: Int

    public init(paths: [String], clipCount: Int) {
        self.paths = paths
        self.clipCount = clipCount
    }
}

/// The answer to `f`: the clips nearest to one clip under a model.
public struct SimilarClips: Sendable, Equatable {
    public var clip: Int64
    public var model: String
    /// What the clip was compared by: its stored vector, or its proxy frames when it has none yet.
    public var basis: String
    public var clips: [SimilarClip]

    public init(clip: Int64, model: String, basis: String, clips: [SimilarClip]) {
        self.clip = clip
        self.model = model
        self.basis = basis
        self.clips = clips
    }
}

public struct SimilarClip: Sendable, Equatable {
    public var entry: QueueEntry
    /// Cosine distance: 0 the same, 1 unrelated.
    public var distance: Double

    public init(entry: QueueEntry, distance: Double) {
        self.entry = entry
        self.distance = distance
    }
}

/// What the queue shows: a source and a tag (both optional).
public struct QueueFilter: Sendable, Equatable {
    public var sourceID: Int64?
    public var tag: String?

    public init(sourceID: Int64? = nil, tag: String? = nil) {
        self.sourceID = sourceID
        self.tag = tag
    }
}

public struct QueuePage: Sendable, Equatable {
    public var entries: [QueueEntry]
    public var total: Int

    public init(entries: [QueueEntry], total: Int) {
        self.entries = entries
        self.total = total
    }
}

public struct ClipNeighbours: Sendable, Equatable {
    public var before: QueueEntry?
    public var after: QueueEntry?

    public init(before: QueueEntry?, after: QueueEntry?) {
        self.before = before
        self.after = after
    }
}

/// The engine's answer to a decision or undo.
public enum DecisionReply: Sendable, Equatable {
    case applied(String)
    case refused(String)
}

/// One line of the undo tray.
public struct TrayItem: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        /// A merge or split waiting to land at `settlesAt`.
        case scheduled
        /// A decision the pipeline waits for until `settlesAt`.
        case settling
        /// Past its window (a merge or split: landed).
        case done
        case failed(String)
        case undone
    }

    public var actionID: Int64
    public var summary: String
    public var settlesAt: Date?
    public var status: Status

    public init(actionID: Int64, summary: String, settlesAt: Date?, status: Status) {
        self.actionID = actionID
        self.summary = summary
        self.settlesAt = settlesAt
        self.status = status
    }
}

/// The pipeline line: what the workers are doing and what waits.
public struct PipelineSummary: Sendable, Equatable {
    /// Counts worth showing, in pipeline order, e.g. [("downloading", 1), ("pending review", 212)].
    public var counts: [Count]
    public var failed: Int
    /// Running jobs and their progress (0…1).
    public var running: [Running]
    /// Merges or splits overdue: no worker runs the review queue.
    public var reviewOverdue: Int

    public struct Count: Sendable, Equatable {
        public var label: String
        public var value: Int
        public init(_ label: String, _ value: Int) {
            self.label = label
            self.value = value
        }
    }

    public struct Running: Sendable, Equatable {
        public var stage: String
        public var progress: Double?
        public init(stage: String, progress: Double?) {
            self.stage = stage
            self.progress = progress
        }
    }

    public init(counts: [Count], failed: Int, running: [Running], reviewOverdue: Int) {
        self.counts = counts
        self.failed = failed
        self.running = running
        self.reviewOverdue = reviewOverdue
    }
}
