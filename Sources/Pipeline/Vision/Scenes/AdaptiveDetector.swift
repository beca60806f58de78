/// Hard cuts where a frame's change stands out from its neighbours': the HSV score over
/// the mean score of the `window` frames on each side must reach `ratio`, and the score
/// itself `minimumScore`. Fast motion raises every neighbour's score too, so it does not cut.
/// (PySceneDetect's adaptive detector, with its defaults.)
public struct AdaptiveDetector: SceneDetector {
    public var ratio: Double
    public var minimumScore: Double
    public var window: Int
    public var minimumSceneLength: Int
    public var name: String { "adaptive" }
    public var parameters: [String: Double] {
        ["ratio": ratio, "minimum_score": minimumScore, "window": Double(window), "minimum_scene_length": Double(minimumSceneLength)]
    }

    public init(ratio: Double = 3, minimumScore: Double = 15, window: Int = 2, minimumSceneLength: Int) {
        self.ratio = ratio
        self.minimumScore = minimumScore
        self.window = window
        self.minimumSceneLength = minimumSceneLength
    }

    public func boundaries(in features: [FrameFeatures]) -> [SceneBoundary] {
        let scores = features.map(\.hsvScore)
        let candidates = scores.indices.dropFirst().filter { i in
            scores[i] >= minimumScore && Self.ratio(scores, at: i, window: window) >= ratio
        }.map { SceneBoundary(frame: $0, kind: .cut) }
        return MinimumSceneLength.apply(candidates, frames: minimumSceneLength)
    }

    /// `scores[i]` over the mean of up to `window` scores on each side (the first frame's,
    /// which compares with nothing, left out); large when the neighbours are all still.
    static func ratio(_ scores: [Double], at i: Int, window: Int) -> Double {
        let neighbours = (max(1, i - window)...min(scores.count - 1, i + window)).filter { $0 != i }
        guard !neighbours.isEmpty else { return 0 }
        let mean = neighbours.reduce(0) { $0 + scores[$1] } / Double(neighbours.count)
        return mean < 1e-6 ? (scores[i] > 1e-6 ? .infinity : 0) : scores[i] / mean
    }
}
