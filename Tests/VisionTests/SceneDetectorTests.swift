import Testing
@testable import Vision

/// The detectors on hand-made feature series: what each one takes for a boundary, and the
/// non-boundaries the default rules out.
struct SceneDetectorTests {
    /// A still shot: no change anywhere.
    static func still(_ count: Int) -> [FrameFeatures] { (0..<count).map { FrameFeatures(frame: $0) } }

    /// A hard cut at `frame`: every delta jumps there and the picture stays changed.
    static func cut(_ series: inout [FrameFeatures], at frame: Int, size: Double = 60) {
        series[frame].hueDelta = size
        series[frame].saturationDelta = size
        series[frame].valueDelta = size
        series[frame].histogramDistance = 0.8
        series[frame].hashDistance = 0.5
        series[frame].stepDistance = size
        series[frame].crossDistance = size
    }

    @Test func theContentHistogramAndHashDetectorsCutWhereTheirScoreJumps() {
        var series = Self.still(100)
        Self.cut(&series, at: 40)
        Self.cut(&series, at: 70)
        for detector in ScoreCutDetector.Score.allCases.map({ ScoreCutDetector($0, minimumSceneLength: 15) }) {
            #expect(detector.boundaries(in: series).map(\.frame) == [40, 70], "\(detector.name)")
            #expect(detector.boundaries(in: series).allSatisfy { $0.kind == .cut })
        }
    }

    @Test func theMinimumSceneLengthDropsBoundariesTooCloseToTheLastOne() {
        let boundaries = [3, 20, 25, 40, 41].map { SceneBoundary(frame: $0, kind: .cut) }
        #expect(MinimumSceneLength.apply(boundaries, frames: 15).map(\.frame) == [20, 40])
        #expect(MinimumSceneLength.defaultFrames(framesPerSecond: 25) == 15)
        #expect(MinimumSceneLength.defaultFrames(framesPerSecond: 60) == 36)
    }

    @Test func fastMotionDoesNotCutTheAdaptiveDetectorButAJumpDoes() {
        // Every frame changes by 30 (a fast pan), one by 100: only that one stands out.
        var series = (0..<60).map { FrameFeatures(frame: $0, hueDelta: 30, saturationDelta: 30, valueDelta: 30) }
        series[0] = FrameFeatures(frame: 0)
        series[45].hueDelta = 100; series[45].saturationDelta = 100; series[45].valueDelta = 100
        #expect(AdaptiveDetector(minimumSceneLength: 15).boundaries(in: series).map(\.frame) == [45])
        #expect(ScoreCutDetector(.content, minimumSceneLength: 15).boundaries(in: series).count > 1, "the plain content detector is fooled")
    }

    @Test func aRunOfDarkFramesIsOneFadeCutHalfwayThrough() {
        var series = Self.still(100)
        for i in 40...49 { series[i].intensity = 3 }
        for i in 0...5 { series[i].intensity = 2 }  // opening in black is no boundary
        let found = ThresholdDetector(minimumSceneLength: 15).boundaries(in: series)
        // The span reaches out over the ramps: here one frame each way, from the still shot.
        #expect(found == [SceneBoundary(frame: 45, kind: .fade, start: 39, end: 50)])
    }

    /// Windows of a linear blend from shot A to shot B over frames 40…54 whose shots are
    /// `distance` apart: the residual is 0 at the centre and grows away from it.
    static func dissolve(_ series: inout [FrameFeatures], from start: Int, length: Int, distance: Double) {
        func alpha(_ f: Int) -> Double { min(1, max(0, Double(f - start + 1) / Double(length + 1))) }
        for i in series.indices {
            series[i].stepDistance = abs(alpha(i) - alpha(i - 1)) * distance
            series[i].windows = [3, 6, 9, 12].compactMap { w in
                guard i - w >= 0, i + w < series.count else { return nil }
                let a = alpha(i - w), b = alpha(i + w), m = alpha(i)
                return FrameFeatures.Window(halfWidth: w, change: (b - a) * distance, residual: abs(m - (a + b) / 2) * distance)
            }
        }
    }

    @Test func aDissolveIsOneGradualBoundaryAtItsCentre() {
        var series = Self.still(120)
        Self.dissolve(&series, from: 40, length: 15, distance: 80)
        let found = GradualDetector(minimumSceneLength: 15).boundaries(in: series)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.kind == .dissolve)
        #expect((44...50).contains(found.first?.frame ?? -1), "\(found)")
        #expect(CombinedDetector(minimumSceneLength: 15).boundaries(in: series).map(\.kind) == [.dissolve])
    }

    @Test func aHardCutIsNoBlend() {
        var series = Self.still(120)
        Self.dissolve(&series, from: 60, length: 0, distance: 80)  // a blend of no length: a cut at 60
        #expect(GradualDetector(minimumSceneLength: 15).boundaries(in: series).isEmpty)
    }

    @Test func theDefaultIgnoresAFlashButKeepsTheCutNextToIt() {
        var series = Self.still(100)
        Self.cut(&series, at: 30)
        Self.cut(&series, at: 32)
        // Frames 30 and 31 are white: the picture before the flash comes back after it.
        series[30].crossDistance = 2
        series[32].crossDistance = 2
        Self.cut(&series, at: 70)
        #expect(CombinedDetector(minimumSceneLength: 15).boundaries(in: series).map(\.frame) == [70])
        #expect(ScoreCutDetector(.content, minimumSceneLength: 15).boundaries(in: series).map(\.frame) == [30, 70], "fooled by the flash")
    }

    @Test func everyCatalogueNameIsADetector() {
        for entry in SceneDetectors.catalogue {
            #expect(SceneDetectors.named(entry.name, framesPerSecond: 25)?.name == entry.name)
        }
        #expect(SceneDetectors.named("magic", framesPerSecond: 25) == nil)
    }

    @Test func aCutFoundOnEveryThirdFrameIsPlacedOnTheFrameThatChanges() {
        // Frames 60…66 of 16×9 BGR: two flat shots, the picture changing at frame 64.
        let frames = (60...66).map { n in [UInt8](repeating: n < 64 ? 40 : 200, count: 16 * 9 * 3) }
        #expect(CutRefinement.largestStep(in: frames, first: 60, width: 16, height: 9) == 64)
        // Noise on single pixels inside a shot outweighs nothing once averaged into thumbnails.
        var noisy = frames
        noisy[1][0] = 255; noisy[2][0] = 0
        #expect(CutRefinement.largestStep(in: noisy, first: 60, width: 16, height: 9) == 64)
    }

    @Test func windowsKeepTheirSpanInFramesWhenOnlyEveryKthFrameIsAnalysed() {
        #expect(SceneFeatureExtractor.halfWidths(stride: 1) == [3, 6, 9, 12])
        #expect(SceneFeatureExtractor.halfWidths(stride: 3) == [1, 2, 3, 4])
        #expect(SceneFeatureExtractor.halfWidths(stride: 6) == [1, 2, 3, 4], "at least one analysed frame each, ascending")
    }
}
