import Domain
import Foundation

/// Everything the review station shows and remembers, as one value. Keys, ticks and the
/// backend's answers change it only through `StationReducer`; drawing only reads it.
public struct StationState: Sendable, Equatable {
    public var size: ScreenSize
    public var now: Date

    // The queue: a window of pending clips in review order, and what this session decided.
    public var queue: [QueueEntry] = []
    /// Pending clips in all (under the filter), as the last page said.
    public var queueTotal = 0
    public var queueLoaded = false
    /// No page after the last entry.
    public var queueExhausted = false
    /// Clips the reviewer moved down past the last loaded row while the next page was on its
    /// way (keys held or typed ahead): the selection goes on by as many when it arrives,
    /// rather than those keys being lost at the page boundary.
    public var pendingRows = 0
    /// The window starts after this entry (nil: at the start of the queue).
    public var windowCursor: QueueEntry?
    public var filter = QueueFilter()
    public var selectedClip: Int64?
    /// The current source frame, inside the selected clip.
    public var frame = 0
    /// Clips decided here and not confirmed by a refresh yet: shown with the state the
    /// decision gave them (optimistically), in their place in the queue.
    public var decided: [Int64: QueueEntry] = [:]
    /// Requests sent and not answered: what to roll back on a refusal.
    public var inFlight: [UUID: InFlight] = [:]
    public var marks: Set<Int64> = []
    /// The clips this session has claimed (the current one must be among them).
    public var claimed: Set<Int64> = []
    public var session: String?
    /// The clips before and after `clip` (the selected one, once loaded).
    public var neighbours: KnownNeighbours?

    // Input.
    public var count: Int?
    public var mode: Mode = .normal
    /// `;` pressed: the next approve, skip, archive or tag goes to every marked clip.
    public var batchArmed = false

    // Playback.
    public var playing = false
    public var speedIndex = StationState.speeds.firstIndex(of: 1)!
    public var playStarted: PlayStart?
    /// When each picture of the last two seconds of playback was shown.
    public var framesShown: [Date] = []

    // Pictures (the runtime renders them; the state holds what is on screen).
    public var picture: Picture?
    public var thumbnails: [FrameKey: CellGrid] = [:]
    public var cutPictures: [FrameKey: CellGrid] = [:]
    public var frameError: String?

    // Around the edges.
    public var tray: [TrayItem] = []
    public var pipeline: PipelineSummary?
    public var message: Message?
    public var databaseLost = false
    public var theme: String
    /// The frame view's pictures are drawn in pixels (sixel or kitty), not symbols.
    public var pixelPictures = false
    public var quitting = false
    /// When the queue, tray and pipeline were last asked for.
    public var lastRefresh: Date?
    /// The pictures last asked for, so a render effect goes out only when they change.
    public var wanted: [FrameKey: FramePriority] = [:]
    /// The list `f` opened, and the row chosen in it.
    public var similar: SimilarList?
    /// A clip opened from the similar list that the queue does not offer (decided, exported):
    /// shown in its place until another clip is selected.
    public var visited: QueueEntry?
    /// A clip and frame to return to (the bookmark, or `:goto`) once the queue has it.
    public var pendingJump: Jump?
    /// The clip a pending jump reached from a queue page before the jump's own answer came
    /// (the bookmark is in the first page): that answer is then stale and must not pull the
    /// reviewer back from where they have moved since.
    public var landedJump: Int64?

    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 4]

    public init(size: ScreenSize, now: Date, theme: String = "default") {
        self.size = size
        self.now = now
        self.theme = theme
    }

    public enum Mode: Sendable, Equatable {
        case normal
        case help
        case tray
        case cutView
        /// The clips most like the current one (`f`).
        case similar
        /// Typing after `:`.
        case command(String)
        /// Typing a tag after `t`; `batch` when it goes to the marked clips.
        case tagPrompt(String, batch: Bool)
    }

    public struct SimilarList: Sendable, Equatable {
        public var result: SimilarClips
        public var selected = 0
    }

    public struct KnownNeighbours: Sendable, Equatable {
        public var clip: Int64
        public var value: ClipNeighbours
    }

    public struct PlayStart: Sendable, Equatable {
        public var at: Date
        public var frame: Int
    }

    public struct Jump: Sendable, Equatable {
        public var clip: Int64
        /// nil: the clip's first frame.
        public var frame: Int?

        public init(clip: Int64, frame: Int?) {
            self.clip = clip
            self.frame = frame
        }
    }

    public struct InFlight: Sendable, Equatable {
        /// The entries as they were before the decision (to restore on a refusal).
        public var before: [QueueEntry]
        public var description: String
    }

    public struct Picture: Sendable, Equatable {
        public var key: FrameKey
        public var grid: CellGrid
    }

    public struct Message: Sendable, Equatable {
        public enum Kind: Sendable, Equatable { case info, error }
        public var text: String
        public var kind: Kind
        public var until: Date?
    }

    // MARK: - Derived

    /// The rows the queue pane lists: the window and this session's decided clips, in review order.
    public var rows: [QueueEntry] {
        var byID = Dictionary(queue.map { ($0.clipID, $0) }, uniquingKeysWith: { a, _ in a })
        for (id, entry) in decided where byID[id] != nil || inWindow(entry) { byID[id] = entry }
        if let visited { byID[visited.clipID] = decided[visited.clipID] ?? visited }
        return byID.values.sorted { ($0.sourceID, $0.startFrame) < ($1.sourceID, $1.startFrame) }
    }

    /// Whether a clip's place in review order falls in the window: after the window's cursor
    /// (from the very start when there is none) and not past its last loaded entry.
    private func inWindow(_ entry: QueueEntry) -> Bool {
        let key = (entry.sourceID, entry.startFrame)
        if let cursor = windowCursor, key <= (cursor.sourceID, cursor.startFrame) { return false }
        guard let last = queue.last else { return queueExhausted }
        return queueExhausted || key <= (last.sourceID, last.startFrame)
    }

    public var selectedIndex: Int? { rows.firstIndex { $0.clipID == selectedClip } }

    /// The selected clip, without building `rows` (the reducer and the view ask often).
    public var current: QueueEntry? {
        guard let selectedClip else { return nil }
        if let visited, visited.clipID == selectedClip { return decided[selectedClip] ?? visited }
        if let decided = decided[selectedClip] {
            return queue.contains(where: { $0.clipID == selectedClip }) || inWindow(decided) ? decided : nil
        }
        return queue.first { $0.clipID == selectedClip }
    }

    public var layout: Layout { Layout(size) }

    public var speed: Double { Self.speeds[speedIndex] }

    /// The neighbours of the selected clip, when they are known.
    public var currentNeighbours: ClipNeighbours? {
        neighbours.flatMap { $0.clip == selectedClip ? $0.value : nil }
    }

    /// Pictures shown per second while playing, over the last two seconds.
    public var playbackRate: Double? { playing && !framesShown.isEmpty ? Double(framesShown.count) / 2 : nil }
}
