/// One clip as the review queue lists it.
public struct QueueEntry: Sendable, Equatable {
    public var clipID: Int64
    public var sourceTitle: String
    public var startFrame: Int
    public var endFrame: Int
    public var startSeconds: Double
    public var endSeconds: Double
    public var state: ClipState

    public init(clipID: Int64, sourceTitle: String, startFrame: Int, endFrame: Int,
                startSeconds: Double, endSeconds: Double, state: ClipState) {
        self.clipID = clipID
        self.sourceTitle = sourceTitle
        self.startFrame = startFrame
        self.endFrame = endFrame
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.state = state
    }

    public var durationSeconds: Double { endSeconds - startSeconds }
    public var frameCount: Int { endFrame - startFrame }
}
