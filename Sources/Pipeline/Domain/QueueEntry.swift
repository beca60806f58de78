/// One clip as the review queue lists it.
public struct QueueEntry: Sendable, Equatable {
    public var clipID: Int64
    public var sourceID: Int64
    public var sourceTitle: String
    public var startFrame: Int
    public var endFrame: Int
    public var startSeconds: Double
    public var endSeconds: Double
    public var state: ClipState
    public var tags: [String]
    /// The row's version when it was read: a decision names it, so a clip that changed since
    /// is refused rather than decided blind.
    public var version: Int
    /// The source's frame rate (frames are 0-based frames of its proxy grid).
    public var framesPerSecond: Double

    public init(clipID: Int64, sourceID: Int64 = 0, sourceTitle: String, startFrame: Int, endFrame: Int,
                startSeconds: Double, endSeconds: Double, state: ClipState, tags: [String] = [], version: Int = 1,
                framesPerSecond: Double = 25) {
        self.clipID = clipID
        self.sourceID = sourceID
        self.sourceTitle = sourceTitle
        self.startFrame = startFrame
        self.endFrame = endFrame
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.state = state
        self.tags = tags
        self.version = version
        self.framesPerSecond = framesPerSecond
    }

    public var durationSeconds: Double { endSeconds - startSeconds }
    public var frameCount: Int { endFrame - startFrame }
}
