/// What a probe learns about a media file's container and its best video stream.
public struct MediaInfo: Sendable, Hashable {
    /// Duration in seconds: the video stream's own when known, else the container's.
    public var durationSeconds: Double
    /// The stream's average frame rate (falls back to the base rate when the average is unknown).
    public var frameRate: Rational
    /// `frameRate` as a Double, for display and arithmetic that tolerates rounding.
    public var framesPerSecond: Double { frameRate.doubleValue }
    /// True when the base rate (`r_frame_rate`) and the average rate disagree, which is how
    /// libav hints at variable frame rate; frame-accurate stages should then count frames.
    public var variableFrameRateSuspected: Bool
    /// Coded width in pixels, before any display rotation.
    public var width: Int
    /// Coded height in pixels, before any display rotation.
    public var height: Int
    /// Degrees (0, 90, 180 or 270) to turn decoded frames clockwise for upright display, from
    /// the display matrix; 0 when the stream has none.
    public var rotation: Int
    /// Whether the container also has an audio stream.
    public var hasAudio: Bool
    /// libav's short name of the video codec, e.g. "h264".
    public var videoCodec: String
    /// libav's short name(s) of the container format, e.g. "mov,mp4,m4a,3gp,3g2,mj2".
    public var containerFormat: String

    public init(
        durationSeconds: Double, frameRate: Rational, variableFrameRateSuspected: Bool,
        width: Int, height: Int, rotation: Int, hasAudio: Bool,
        videoCodec: String, containerFormat: String
    ) {
        self.durationSeconds = durationSeconds
        self.frameRate = frameRate
        self.variableFrameRateSuspected = variableFrameRateSuspected
        self.width = width
        self.height = height
        self.rotation = rotation
        self.hasAudio = hasAudio
        self.videoCodec = videoCodec
        self.containerFormat = containerFormat
    }
}
