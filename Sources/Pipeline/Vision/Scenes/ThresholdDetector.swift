/// Fades to and from black: a run of frames whose mean intensity is under `level` is one
/// fade (its span includes the ramps down and up), and the new scene starts halfway through the run (PySceneDetect's threshold detector
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
                                 start: Self.rampStart(features, before: run.lowerBound),
                                 end: Self.rampEnd(features, after: run.upperBound))
        }, frames: minimumSceneLength)
    }

    /// A fade's span reaches out over its ramps: back from the dark run while each earlier
    /// frame is brighter than the next (the fade-out), forward while each later one is
    /// brighter than the previous (the fade-in).
    static func rampStart(_ features: [FrameFeatures], before first: Int) -> Int {
        var start = first
        while start > 0, features[start - 1].intensity > features[start].intensity { start -= 1 }
        return start
    }

    static func rampEnd(_ features: [FrameFeatures], after last: Int) -> Int {
        var end = last
        while end < features.count - 1, features[end + 1].intensity > features[end].intensity { end += 1 }
        return end
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
