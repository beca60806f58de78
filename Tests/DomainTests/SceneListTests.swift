import Testing
@testable import Domain

/// Cut points to scenes: the rule the detect-scenes stage relies on for clips that cover a
/// source exactly.
@Suite struct SceneListTests {
    @Test func scenesCoverTheSourceWithoutOverlap() {
        let scenes = SceneList.scenes(cuttingAt: [100, 0, 50, 50, 250, 300], frameCount: 250, framesPerSecond: 25)
        #expect(scenes.map(\.startFrame) == [0, 50, 100])
        #expect(scenes.map(\.endFrame) == [50, 100, 250])
        #expect(scenes[1].startSeconds == 2 && scenes[1].endSeconds == 4)
        #expect(SceneList.scenes(cuttingAt: [], frameCount: 0, framesPerSecond: 25).isEmpty)
        #expect(SceneList.scenes(cuttingAt: [], frameCount: 10, framesPerSecond: 25).count == 1)
    }

    @Test func anUnknownRateCountsAt25() {
        #expect(SceneList.scenes(cuttingAt: [], frameCount: 50, framesPerSecond: 0).first?.endSeconds == 2)
    }
}
