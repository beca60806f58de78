import Testing
@testable import Domain

@Suite struct TimecodeTests {
    @Test func timecodesRoundToMilliseconds() {
        #expect(Timecode.format(0) == "00:00:00.000")
        #expect(Timecode.format(3723.0004) == "01:02:03.000")
        #expect(Timecode.format(59.9996) == "00:01:00.000")
        #expect(Timecode.format(-1) == "00:00:00.000")
        #expect(Timecode.format(723.48) == "00:12:03.480")
    }
}
