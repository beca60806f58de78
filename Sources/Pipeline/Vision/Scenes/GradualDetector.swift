/// Dissolves and fades between shots. Halfway through a cross-dissolve a frame is the mean
/// of the frames equally far before and after it, while the shots on either side differ:
/// for each frame and window (see `FrameFeatures.Window`), change − 2 × residual is about
/// the distance between the two shots at the centre of a dissolve, about 0 at a hard cut,
/// and negative in most motion (a pan's middle frame is no mean of its ends).
///
/// A steady zoom or slowly evolving texture changes almost linearly too; what sets a
/// dissolve apart is that its shots are steadier than the transition. So the change across
/// the same window length just before and just after (the quieter of the two, as the other
/// may hold a neighbouring cut) is subtracted: `blend` = change − 2 × residual − context.
/// A boundary is a local maximum of `blend` reaching `minimumBlend` (see `blends` for how
/// a flash at a window's end is kept from counting).
public struct GradualDetector: SceneDetector {
    public var minimumBlend: Double
    public var minimumSceneLength: Int
    public var name: String { "gradual" }
    public var parameters: [String: Double] { ["minimum_blend": minimumBlend, "minimum_scene_length": Double(minimumSceneLength)] }

    public init(minimumBlend: Double = 12, minimumSceneLength: Int) {
        self.minimumBlend = minimumBlend
        self.minimumSceneLength = minimumSceneLength
    }

    /// The best window of a frame and its blend score.
    struct Blend {
        var score: Double
        var halfWidth: Int
    }

    /// Each frame's best window. A window's score at frame `i` is its raw score there, but no
    /// more than the better of its neighbours' (`i − 1`, `i + 1`): a dissolve's score changes
    /// smoothly from frame to frame, while a flash at one end of a window lifts it at a single
    /// frame only.
    static func blends(_ features: [FrameFeatures]) -> [Blend?] {
        let halfWidths = FrameFeatures.windowHalfWidths(of: features)
        let raw: [[Double?]] = features.indices.map { i in
            halfWidths.map { w in
                guard let window = features[i].windows.first(where: { $0.halfWidth == w }) else { return nil }
                let sides = [i - 2 * w, i + 2 * w].compactMap { change(features, at: $0, halfWidth: w) }
                guard let context = sides.min() else { return nil }
                return window.change - 2 * window.residual - context
            }
        }
        return features.indices.map { i in
            var best: Blend?
            for (k, w) in halfWidths.enumerated() {
                guard let here = raw[i][k] else { continue }
                let neighbours = [i - 1, i + 1].compactMap { raw.indices.contains($0) ? raw[$0][k] : nil }
                guard let lasting = neighbours.max() else { continue }
                let score = min(here, lasting)
                if best == nil || score > best!.score { best = Blend(score: score, halfWidth: w) }
            }
            return best
        }
    }

    private static func change(_ features: [FrameFeatures], at i: Int, halfWidth: Int) -> Double? {
        guard features.indices.contains(i) else { return nil }
        return features[i].windows.first { $0.halfWidth == halfWidth }?.change
    }

    public func boundaries(in features: [FrameFeatures]) -> [SceneBoundary] {
        MinimumSceneLength.apply(transitions(in: features), frames: minimumSceneLength)
    }

    /// Every blend peak, before the minimum scene length.
    func transitions(in features: [FrameFeatures]) -> [SceneBoundary] {
        let blends = Self.blends(features)
        var found: [SceneBoundary] = []
        for (i, blend) in blends.enumerated() {
            guard let blend, blend.score >= minimumBlend else { continue }
            let around = max(0, i - blend.halfWidth)...min(features.count - 1, i + blend.halfWidth)
            // A local maximum; ties go to the earliest frame.
            let isPeak = around.allSatisfy { j in
                guard j != i, let other = blends[j] else { return true }
                return j < i ? other.score < blend.score : other.score <= blend.score
            }
            guard isPeak else { continue }
            let span = around
            let darkest = span.map { features[$0].intensity }.min() ?? 255
            found.append(SceneBoundary(frame: i, kind: darkest < ThresholdDetector.defaultLevel ? .fade : .dissolve,
                                       start: span.lowerBound, end: span.upperBound))
        }
        return found
    }
}
