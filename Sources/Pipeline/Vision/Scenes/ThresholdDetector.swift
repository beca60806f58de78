/// Fades to and from black: a run of frames whose mean intensity is under `level` is one
/// fade, and the new scene starts halfway through it (PySceneDetect's threshold detector
/// with its default level and bias). A video that opens or ends dark has no boundary there.
public struct ThresholdDetector: SceneDetector {
    public var level: Double
    public var minimumSceneLength: Int
    public var name: String { "threshold" }
    public var parameters: [String: Double] { ["level": level, "minimum_scene_length": Double(minimumSceneLength)] }

    /// PySceneDetect's default: mean intensity under 12 of 255 is black.
    public static let defaultLevel = 12.0

    public init(level: Double = defaultLevel, minimumSceneLength: Int) {
        self.level = level
        self.minimumSceneLength = minimumSceneLength
    }

    public func boundaries(in features: [FrameFeatures]) -> [SceneBoundary] {
        MinimumSceneLength.apply(Self.darkRuns(features, level: level).compactMap { run in
            guard run.lowerBound > 0, run.upperBound < features.count - 1 else { return nil }
            return SceneBoundary(frame: (run.lowerBound + run.upperBound + 1) / 2, kind: .fade,
                                 start: run.lowerBound, end: run.upperBound)
        }, frames: minimumSceneLength)
    }

    /// Maximal runs of frames darker than `level`.
    static func darkRuns(_ features: [FrameFeatures], level: Double) -> [ClosedRange<Int>] {
        var runs: [ClosedRange<Int>] = []
        var start: Int?
        for (i, frame) in features.enumerated() {
            if frame.intensity < level {
                if start == nil { start = i }
            } else if let first = start {
                runs.append(first...(i - 1))
                start = nil
            }
        }
        if let first = start { runs.append(first...(features.count - 1)) }
        return runs
    }
}
