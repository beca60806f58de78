/// The shape of the simple cut detectors: a score per frame, a cut wherever it reaches a
/// threshold, then the minimum scene length.
enum ScoreCuts {
    static func cuts(_ features: [FrameFeatures], threshold: Double, minimumSceneLength: Int,
                     score: (FrameFeatures) -> Double) -> [SceneBoundary] {
        let candidates = features.dropFirst().filter { score($0) >= threshold }.map { SceneBoundary(frame: $0.frame, kind: .cut) }
        return MinimumSceneLength.apply(candidates, frames: minimumSceneLength)
    }
}

/// Hard cuts where the mean HSV change reaches `threshold` (PySceneDetect's content
/// detector with its default weights and threshold).
public struct ContentDetector: SceneDetector {
    public var threshold = 27.0
    public var minimumSceneLength: Int
    public var name: String { "content" }
    public var parameters: [String: Double] { ["threshold": threshold, "minimum_scene_length": Double(minimumSceneLength)] }

    public init(threshold: Double = 27, minimumSceneLength: Int) {
        self.threshold = threshold
        self.minimumSceneLength = minimumSceneLength
    }

    public func boundaries(in features: [FrameFeatures]) -> [SceneBoundary] {
        ScoreCuts.cuts(features, threshold: threshold, minimumSceneLength: minimumSceneLength) { $0.hsvScore }
    }
}

/// Hard cuts where the HSV histograms stop overlapping: `threshold` is 1 − intersection.
public struct HistogramDetector: SceneDetector {
    public var threshold: Double
    public var minimumSceneLength: Int
    public var name: String { "histogram" }
    public var parameters: [String: Double] { ["threshold": threshold, "minimum_scene_length": Double(minimumSceneLength)] }

    public init(threshold: Double = 0.35, minimumSceneLength: Int) {
        self.threshold = threshold
        self.minimumSceneLength = minimumSceneLength
    }

    public func boundaries(in features: [FrameFeatures]) -> [SceneBoundary] {
        ScoreCuts.cuts(features, threshold: threshold, minimumSceneLength: minimumSceneLength) { $0.histogramDistance }
    }
}

/// Hard cuts where the 64-bit perceptual hash changes in at least `threshold` of its bits.
public struct HashDetector: SceneDetector {
    public var threshold: Double
    public var minimumSceneLength: Int
    public var name: String { "hash" }
    public var parameters: [String: Double] { ["threshold": threshold, "minimum_scene_length": Double(minimumSceneLength)] }

    public init(threshold: Double = 0.395, minimumSceneLength: Int) {
        self.threshold = threshold
        self.minimumSceneLength = minimumSceneLength
    }

    public func boundaries(in features: [FrameFeatures]) -> [SceneBoundary] {
        ScoreCuts.cuts(features, threshold: threshold, minimumSceneLength: minimumSceneLength) { $0.hashDistance }
    }
}
