import Domain
import Foundation

/// Everything that happens to the station, as one enum: the main loop turns keys, resizes,
/// ticks and the effect runner's answers into these, and hands each to the reducer.
public enum StationEvent: Sendable, Equatable {
    case key(Key)
    case resize(ScreenSize)
    case tick(Date)
    case sessionStarted(String)
    /// The clips the session holds, after a claim made around clip `around` (nil: none).
    case claimed([Int64], around: Int64?)
    /// A page of the queue: `replacing` the window (a refresh or a jump) or appended to it.
    case queuePage(QueuePage, after: QueueEntry?, replacing: Bool, exhausted: Bool)
    /// The clips this session decided, as the database has them now.
    case decidedRefreshed([QueueEntry])
    case neighbours(clip: Int64, ClipNeighbours)
    case frameRendered(FrameKey, CellGrid)
    case frameFailed(FrameKey, String)
    case decisionAnswered(UUID, DecisionReply)
    case undoAnswered(DecisionReply)
    case tray([TrayItem])
    case pipeline(PipelineSummary)
    /// A jump (bookmark, `:goto`, `:frame`) found its clip: select it at `frame`.
    case jumpTarget(QueueEntry?, frame: Int?, reason: String)
    case similar(SimilarClips)
    case timelineWritten(TimelineFileWritten)
    case backendFailed(String, connectionLost: Bool)
    case backendRecovered
    /// The station is asked to stop (SIGTERM, SIGHUP).
    case terminate
}
