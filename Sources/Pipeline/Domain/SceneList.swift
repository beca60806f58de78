/// A scene of a source: frames `[startFrame, endFrame)` and the same span in seconds.
public struct Scene: Sendable, Equatable, Codable {
    public var startFrame: Int
    public var endFrame: Int
    public var startSeconds: Double
    public var endSeconds: Double

    public init(startFrame: Int, endFrame: Int, startSeconds: Double, endSeconds: Double) {
        self.startFrame = startFrame
        self.endFrame = endFrame
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
    }

    public var frameCount: Int { endFrame - startFrame }

    enum CodingKeys: String, CodingKey {
        case startFrame = "start_frame", endFrame = "end_frame", startSeconds = "start_seconds", endSeconds = "end_seconds"
    }
}

/// Cut points to scenes: the scenes of a source cover `[0, frameCount)` exactly, in order,
/// without overlap, which is what the clips table requires of a source's live clips.
public enum SceneList {
    /// Scenes split at each boundary frame (the first frame of a new scene). Boundaries
    /// outside `(0, frameCount)` and repeats are ignored; seconds are frame / fps.
    public static func scenes(cuttingAt boundaries: [Int], frameCount: Int, framesPerSecond fps: Double) -> [Scene] {
        guard frameCount > 0 else { return [] }
        let rate = fps > 0 ? fps : 25
        let cuts = Set(boundaries.filter { $0 > 0 && $0 < frameCount }).sorted()
        let starts = [0] + cuts
        let ends = cuts + [frameCount]
        return zip(starts, ends).map { start, end in
            Scene(startFrame: start, endFrame: end, startSeconds: Double(start) / rate, endSeconds: Double(end) / rate)
        }
    }
}
