/// The default: fades through black, dissolves and hard cuts together, each found by the
/// feature that sees it best, with the non-boundaries that fool single detectors ruled out.
///
/// - Fades: runs of dark frames (`ThresholdDetector`).
/// - Dissolves: blend peaks (`GradualDetector`) outside any fade.
/// - Cuts: a frame whose HSV change stands out from its neighbours (`AdaptiveDetector`'s
///   ratio) and is large enough, outside any fade or dissolve, and where the picture does
///   not come back within a few frames (at the start and end of a flash it does).
///
/// Where transitions of different kinds fall within one another's span, the gradual one
/// wins; then the minimum scene length applies.
public struct CombinedDetector: SceneDetector {
    public var cutRatio: Double
    public var cutMinimumScore: Double
    /// A cut's picture must stay away: `FrameFeatures.crossDistance` must be at least this
    /// share of the step at the cut.
    public var cutPersistence: Double
    public var fadeLevel: Double
    public var minimumBlend: Double
    public var minimumSceneLength: Int
    public var name: String { "default" }
    public var parameters: [String: Double] {
        ["cut_ratio": cutRatio, "cut_minimum_score": cutMinimumScore, "cut_persistence": cutPersistence,
         "fade_level": fadeLevel, "minimum_blend": minimumBlend, "minimum_scene_length": Double(minimumSceneLength)]
    }

    public init(cutRatio: Double = 3, cutMinimumScore: Double = 12, cutPersistence: Double = 0.5, fadeLevel: Double = 12,
                minimumBlend: Double = 12, minimumSceneLength: Int) {
        self.cutRatio = cutRatio
        self.cutMinimumScore = cutMinimumScore
        self.cutPersistence = cutPersistence
        self.fadeLevel = fadeLevel
        self.minimumBlend = minimumBlend
        self.minimumSceneLength = minimumSceneLength
    }

    public func boundaries(in features: [FrameFeatures]) -> [SceneBoundary] {
        let fades = ThresholdDetector(level: fadeLevel, minimumSceneLength: 1).boundaries(in: features)
        let blends = GradualDetector(minimumBlend: minimumBlend, minimumSceneLength: 1).transitions(in: features)
        var gradual = fades
        for blend in blends where !gradual.contains(where: { overlaps($0, blend) }) { gradual.append(blend) }

        let scores = features.map(\.hsvScore)
        var cuts: [SceneBoundary] = []
        for i in scores.indices.dropFirst() where scores[i] >= cutMinimumScore {
            guard AdaptiveDetector.ratio(scores, at: i, window: 2) >= cutRatio else { continue }
            let frame = features[i]
            if let cross = frame.crossDistance, cross < cutPersistence * frame.stepDistance { continue }
            let cut = SceneBoundary(frame: i, kind: .cut)
            if gradual.contains(where: { overlaps($0, cut) }) { continue }
            cuts.append(cut)
        }
        return MinimumSceneLength.apply(gradual + cuts, frames: minimumSceneLength)
    }

    private func overlaps(_ a: SceneBoundary, _ b: SceneBoundary) -> Bool {
        a.start <= b.end && b.start <= a.end
    }
}
