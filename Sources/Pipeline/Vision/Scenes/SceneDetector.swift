/// A scene detector: reads the frame features of one video and says where scenes begin.
/// Detectors are pure (no I/O), so they are tested on hand-made feature series.
public protocol SceneDetector: Sendable {
    /// The name `heaters detect --detector` takes.
    var name: String { get }
    /// The parameters in force, recorded with the clips a detection creates.
    var parameters: [String: Double] { get }
    /// Boundaries in frame order; `features[i].frame == i`.
    func boundaries(in features: [FrameFeatures]) -> [SceneBoundary]
}

/// Every detector heaters has, by name.
public enum SceneDetectors {
    public static let defaultName = "default"

    /// Names with one line each for `--help`.
    public static let catalogue: [(name: String, summary: String)] = [
        ("default", "cuts, dissolves and fades combined, robust to motion and flashes (no tuning needed)"),
        ("content", "hard cuts: mean HSV change between frames over a threshold"),
        ("adaptive", "hard cuts: HSV change well above its rolling average (robust to fast motion)"),
        ("threshold", "fades to and from black: mean intensity under a level"),
        ("histogram", "hard cuts: HSV histogram change over a threshold"),
        ("hash", "hard cuts: perceptual hash change over a threshold"),
        ("gradual", "dissolves and fades: the frame halfway through a window is a blend of its ends"),
    ]

    /// The detector called `name` with its default parameters, or nil.
    public static func named(_ name: String, framesPerSecond: Double) -> (any SceneDetector)? {
        let minimum = MinimumSceneLength.defaultFrames(framesPerSecond: framesPerSecond)
        switch name {
        case "default": return CombinedDetector(minimumSceneLength: minimum)
        case "adaptive": return AdaptiveDetector(minimumSceneLength: minimum)
        case "threshold": return ThresholdDetector(minimumSceneLength: minimum)
        case "gradual": return GradualDetector(minimumSceneLength: minimum)
        default: return ScoreCutDetector.Score(rawValue: name).map { ScoreCutDetector($0, minimumSceneLength: minimum) }
        }
    }
}

/// The shortest scene a detector creates: a boundary closer than this to the previous one
/// (or to the start) is dropped.
public enum MinimumSceneLength {
    /// 0.6 s: PySceneDetect's default of 15 frames at 25 fps.
    public static func defaultFrames(framesPerSecond: Double) -> Int {
        max(1, Int((0.6 * (framesPerSecond > 0 ? framesPerSecond : 25)).rounded()))
    }

    /// Keeps boundaries at least `frames` apart, earliest first.
    public static func apply(_ boundaries: [SceneBoundary], frames: Int) -> [SceneBoundary] {
        var kept: [SceneBoundary] = []
        var last = 0
        for boundary in boundaries.sorted(by: { $0.frame < $1.frame }) where boundary.frame - last >= frames {
            kept.append(boundary)
            last = boundary.frame
        }
        return kept
    }
}
