import Domain
import Testing

@Suite struct KeyframeStrategyTests {
    @Test func builtInStrategiesPickFramesInsideTheClip() {
        #expect(KeyframeStrategy.midpoint.frames(start: 100, end: 150).map(\.frame) == [125])
        #expect(KeyframeStrategy.midpoint.frames(start: 100, end: 150).map(\.tag) == ["mid"])
        let multi = KeyframeStrategy.multi.frames(start: 0, end: 100)
        #expect(multi.map(\.frame) == [25, 50, 75])
        #expect(multi.map(\.tag) == ["25pct", "50pct", "75pct"])
        // One frame: every position is that frame; position 1 is the last frame, not past it.
        #expect(KeyframeStrategy.multi.frames(start: 7, end: 8).map(\.frame) == [7, 7, 7])
        #expect(KeyframeStrategy(name: "ends", fractions: [0, 1]).frames(start: 10, end: 20).map(\.frame) == [10, 19])
    }

    @Test func configuredFractionsAreTaggedByPercent() {
        let strategy = KeyframeStrategy(name: "thirds", fractions: [0.125, 0.5, 1.0 / 3])
        #expect(strategy.positions.map(\.tag) == ["12.5pct", "50pct", "33.3pct"])
    }
}
