import Domain
import Foundation

/// What the reducer asks the runtime to do; each answer comes back as a `StationEvent`.
public enum StationEffect: Sendable, Equatable {
    case startSession
    case claim(around: QueueEntry?)
    case loadQueue(after: QueueEntry?, filter: QueueFilter, limit: Int, replacing: Bool)
    case refreshDecided([Int64])
    case loadNeighbours(Int64)
    /// Pictures wanted now, and ahead of time; a new `render` supersedes what an older one
    /// asked for and has not started.
    case render([FrameKey: FramePriority])
    case decide(UUID, [ReviewDecision], seen: [Int64: Int])
    case undo(Int64?)
    case loadTray
    case loadPipeline
    /// Find a clip to go to: by id, or the clip of `source` holding `frame`.
    case jump(clip: Int64?, source: Int64?, frame: Int?)
    case saveBookmark(clip: Int64, frame: Int)
    /// The clips most like this one (`f`).
    case loadSimilar(Int64)
    /// `:timeline`: write the source's cut for an editor.
    case writeTimeline(TimelineFileRequest)
    case setTheme(String)
    case quit
}
