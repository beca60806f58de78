/// The default: fades through black, dissolves and hard cuts together, each found by the
/// feature that sees it best, with the non-boundaries that fool single detectors ruled out.
///
/// - Fades: runs of dark frames (`ThresholdDetector`).
/// - Dissolves: blend peaks (`GradualDetector`) outside any fade.
/// - Cuts: a frame whose thumbnail step stands out from its neighbours on at least one side
///   (see `isCut`), outside any fade or dissolve, and where the picture does not come back
///   within a few frames (at the start and end of a flash it does). The thumbnail step, not
///   the HSV change, because shots of noise or cycling colour change every pixel's hue each
///   frame yet look the same from one frame to the next.
///
/// Where transitions of different kinds fall within one another's span, the gradual one
/// wins; then the minimum scene length applies.
public struct CombinedDetector: SceneDetector {
    public var cutRatio: Double
    public var cutMargin: Double
    public var cutMinimumStep: Double
    /// A cut's picture must stay away: `FrameFeatures.crossDistance` must be at least this
    /// share of the step at the cut.
    public var cutPersistence: Double
    public var fadeLevel: Double
    public var minimumBlend: Double
    public var minimumSceneLength: Int
    public var name: String { "default" }
    public var parameters: [String: Double] {
        ["cut_ratio": cutRatio, "cut_margin": cutMargin, "cut_minimum_step": cutMinimumStep, "cut_persistence": cutPersistence,
         "fade_level": fadeLevel, "minimum_blend": minimumBlend, "minimum_scene_length": Double(minimumSceneLength)]
    }

    public init(cutRatio: Double = 4, cutMargin: Double = 1.2, cutMinimumStep: Double = 8, cutPersistence: Double = 0.5, fadeLevel: Double = ThresholdDetector.defaultLevel,
                minimumBlend: Double = 12, minimumSceneLength: Int) {
        self.cutRatio = cutRatio
        self.cutMargin = cutMargin
        self.cutMinimumStep = cutMinimumStep
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

        var cuts: [SceneBoundary] = []
        for i in features.indices.dropFirst() where isCut(features, at: i) {
            let cut = SceneBoundary(frame: i, kind: .cut)
            if gradual.contains(where: { overlaps($0, cut) }) { continue }
            cuts.append(cut)
        }
        return MinimumSceneLength.apply(gradual + cuts, frames: minimumSceneLength)
    }

    /// A hard cut at `i`: the thumbnail step there is `cutRatio` times the mean step on the
    /// quieter side (two frames each way) and `cutMargin` times the busier side's, at least
    /// `cutMinimumStep`, and the picture does not come back. One quiet side is enough,
    /// because a cut into or out of fast motion has motion on the other.
    func isCut(_ features: [FrameFeatures], at i: Int) -> Bool {
        let step = features[i].stepDistance
        guard step >= cutMinimumStep else { return false }
        func mean(_ range: Range<Int>) -> Double? {
            let valid = range.clamped(to: 1..<features.count)
            return valid.isEmpty ? nil : valid.reduce(0) { $0 + features[$1].stepDistance } / Double(valid.count)
        }
        let sides = [mean(i - 2 ..< i), mean(i + 1 ..< i + 3)].compactMap { $0 }
        guard let quiet = sides.min(), let busy = sides.max() else { return false }
        guard step >= cutRatio * max(quiet, 0.5), step >= cutMargin * busy else { return false }
        if let cross = features[i].crossDistance, cross < cutPersistence * step { return false }
        return true
    }

    private func overlaps(_ a: SceneBoundary, _ b: SceneBoundary) -> Bool {
        a.start <= b.end && b.start <= a.end
    }
}
