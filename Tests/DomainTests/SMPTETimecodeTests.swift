import Testing
@testable import Domain

/// SMPTE timecode as EDLs need it: drop-frame at 29.97 and 59.94 skips frame numbers, never
/// frames, so every frame has one timecode and every timecode shown means one frame.
@Suite struct SMPTETimecodeTests {
    static let ntsc30 = FrameRate(numerator: 30000, denominator: 1001)!
    static let ntsc60 = FrameRate(numerator: 60000, denominator: 1001)!

    @Test func dropFrameSkipsTwoNumbersAMinuteExceptEachTenth() throws {
        let tc = try #require(SMPTETimecode(rate: Self.ntsc30, dropFrame: true))
        #expect(tc.string(0) == "00:00:00;00")
        #expect(tc.string(1799) == "00:00:59;29")
        #expect(tc.string(1800) == "00:01:00;02", "00:01:00;00 and ;01 do not exist")
        #expect(tc.string(17981) == "00:09:59;29")
        #expect(tc.string(17982) == "00:10:00;00", "the tenth minute keeps its ;00")
        #expect(tc.string(107_892) == "01:00:00;00", "an hour of 29.97 is 107,892 frames")
    }

    @Test func dropFrameAt5994SkipsFourNumbers() throws {
        let tc = try #require(SMPTETimecode(rate: Self.ntsc60, dropFrame: true))
        #expect(tc.string(3599) == "00:00:59;59")
        #expect(tc.string(3600) == "00:01:00;04")
        #expect(tc.string(35964) == "00:10:00;00")
        #expect(tc.string(215_784) == "01:00:00;00")
    }

    @Test(arguments: [(30000, 30), (60000, 60)])
    func everyFrameOfTwentyMinutesRoundTrips(numerator: Int, base: Int) throws {
        let rate = try #require(FrameRate(numerator: numerator, denominator: 1001))
        let tc = try #require(SMPTETimecode(rate: rate, dropFrame: true))
        let frames = 2 * (base * 600 - 9 * (base / 15))   // two ten-minute blocks, each missing 9 minutes' drops
        var previous = ""
        for frame in 0..<frames {
            let text = tc.string(frame)
            guard tc.frame(text) == frame else {
                Issue.record("frame \(frame) → \(text) → \(String(describing: tc.frame(text)))")
                return
            }
            #expect(text > previous || frame == 0, "timecodes increase")
            previous = text
        }
        #expect(previous.hasPrefix("00:19:59;"))
    }

    @Test func droppedNumbersAreRefused() throws {
        let tc30 = try #require(SMPTETimecode(rate: Self.ntsc30, dropFrame: true))
        #expect(tc30.frame("00:01:00;00") == nil && tc30.frame("00:01:00;01") == nil)
        #expect(tc30.frame("00:01:00;02") == 1800)
        #expect(tc30.frame("00:10:00;00") == 17982 && tc30.frame("00:10:00;01") == 17983)
        #expect(tc30.frame("01:59:00;01") == nil)
        let tc60 = try #require(SMPTETimecode(rate: Self.ntsc60, dropFrame: true))
        #expect((0..<4).allSatisfy { tc60.frame("00:07:00;0\($0)") == nil })
        #expect(tc60.frame("00:07:00;04") != nil)
    }

    @Test func malformedTimecodesAreRefused() throws {
        let tc = try #require(SMPTETimecode(rate: FrameRate(numerator: 25, denominator: 1)!, dropFrame: false))
        for text in ["00:00:00:25", "00:60:00:00", "00:00:60:00", "00:00:00", "aa:00:00:00", "-1:00:00:00", ""] {
            #expect(tc.frame(text) == nil, "\(text)")
        }
    }

    @Test func nonDropCountsWholeFramesOfTheRoundedRate() throws {
        let pal = try #require(SMPTETimecode(rate: FrameRate(numerator: 25, denominator: 1)!, dropFrame: false))
        #expect(pal.string(90_000) == "01:00:00:00" && pal.string(90_024) == "01:00:00:24")
        #expect(pal.frame("01:00:00:00") == 90_000)
        let film = try #require(SMPTETimecode(rate: FrameRate(numerator: 24000, denominator: 1001)!, dropFrame: false))
        #expect(film.string(86_400) == "01:00:00:00", "23.976 non-drop runs 24 numbers a second")
        #expect(film.string(1439) == "00:00:59:23")
        let ntscNonDrop = try #require(SMPTETimecode(rate: Self.ntsc30, dropFrame: false))
        #expect(ntscNonDrop.string(1800) == "00:01:00:00")
    }

    @Test func dropFrameExistsOnlyAt2997And5994() {
        #expect(SMPTETimecode(rate: FrameRate(numerator: 25, denominator: 1)!, dropFrame: true) == nil)
        #expect(SMPTETimecode(rate: FrameRate(numerator: 24000, denominator: 1001)!, dropFrame: true) == nil)
        #expect(SMPTETimecode(rate: FrameRate(numerator: 30, denominator: 1)!, dropFrame: true) == nil)
    }

    @Test func countsPastADayGoOn() throws {
        let tc = try #require(SMPTETimecode(rate: FrameRate(numerator: 25, denominator: 1)!, dropFrame: false))
        #expect(tc.string(25 * 3600 * 25) == "25:00:00:00")
        #expect(tc.frame("25:00:00:00") == 25 * 3600 * 25)
    }
}

/// The exact rate a stored decimal stands for.
@Suite struct FrameRateTests {
    @Test(arguments: [(29.97002997, 30000, 1001), (29.97, 30000, 1001), (25.0, 25, 1), (23.976, 24000, 1001),
                      (23.976023976, 24000, 1001), (59.94, 60000, 1001), (30.0, 30, 1), (24.0, 24, 1), (50.0, 50, 1),
                      (47.952, 48000, 1001), (12.5, 25, 2)])
    func approximatingADecimal(fps: Double, numerator: Int, denominator: Int) {
        let rate = FrameRate.approximating(fps)
        #expect(rate?.numerator == numerator && rate?.denominator == denominator, "\(fps) → \(String(describing: rate))")
    }

    @Test func approximatingRefusesWhatIsNoRate() {
        #expect(FrameRate.approximating(0) == nil && FrameRate.approximating(-25) == nil)
        #expect(FrameRate.approximating(.nan) == nil && FrameRate.approximating(.infinity) == nil)
    }

    @Test func parsing() {
        #expect(FrameRate(parsing: "30000/1001") == FrameRate(numerator: 30000, denominator: 1001))
        #expect(FrameRate(parsing: "25") == FrameRate(numerator: 25, denominator: 1))
        #expect(FrameRate(parsing: "50/2") == FrameRate(numerator: 25, denominator: 1), "kept reduced")
        for text in ["", "/", "30000/", "/1001", "0/1", "25/0", "-25", "1/2/3", "29.97"] {
            #expect(FrameRate(parsing: text) == nil, "\(text)")
        }
    }

    @Test func ntscRates() {
        let ntsc = FrameRate(numerator: 30000, denominator: 1001)!
        #expect(ntsc.timecodeBase == 30 && ntsc.allowsDropFrame && ntsc.isNTSC && ntsc.description == "30000/1001")
        let film = FrameRate(numerator: 24000, denominator: 1001)!
        #expect(film.timecodeBase == 24 && !film.allowsDropFrame && film.isNTSC)
        #expect(FrameRate(numerator: 25, denominator: 1)!.description == "25")
        #expect(ntsc.seconds(30000) == 1001)
    }
}
