/// Hard cuts wherever one per-frame score reaches a threshold, then the minimum scene
/// length: PySceneDetect's content, histogram and hash detectors, with their defaults, on
/// heaters' features.
public struct ScoreCutDetector: SceneDetector {
    /// Which feature is the score; the raw value is the detector's name.
    public enum Score: String, Sendable, CaseIterable {
        /// The mean HSV change (PySceneDetect's content score with its default weights).
        case content
        /// 1 − the intersection of the HSV histograms.
        case histogram
        /// The share of the 64 perceptual-hash bits that changed.
        case hash

        public var defaultThreshold: Double {
            switch self {
            case .content: 27
            case .histogram: 0.35
            case .hash: 0.395
            }
        }

        func value(_ frame: FrameFeatures) -> Double {
            switch self {
            case .content: frame.hsvScore
            case .histogram: frame.histogramDistance
            case .hash: frame.hashDistance
            }
        }
    }

    public var score: Score
    public var threshold: Double
    public var minimumSceneLength: Int
    public var name: String { score.rawValue }
    public var parameters: [String: Double] { ["threshold": threshold, "minimum_scene_length": Double(minimumSceneLength)] }

    public init(_ score: Score, threshold: Double? = nil, minimumSceneLength: Int) {
        self.score = score
        self.threshold = threshold ?? score.defaultThreshold
        self.minimumSceneLength = minimumSceneLength
    }

    public func boundaries(in features: [FrameFeatures]) -> [SceneBoundary] {
        let candidates = features.dropFirst().filter { score.value($0) >= threshold }.map { SceneBoundary(frame: $0.frame, kind: .cut) }
        return MinimumSceneLength.apply(candidates, frames: minimumSceneLength)
    }
}
