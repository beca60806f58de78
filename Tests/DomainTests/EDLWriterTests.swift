import Testing
@testable import Domain

/// CMX 3600 EDLs of timelines: timecodes at every rate, the split at 999 events, audio,
/// reels, and user text that must stay inside its comment line.
@Suite struct EDLWriterTests {
    static let ntsc = FrameRate(numerator: 30000, denominator: 1001)!
    static let pal = FrameRate(numerator: 25, denominator: 1)!
    static let film = FrameRate(numerator: 24000, denominator: 1001)!

    static func media(_ name: String = "source.mov", url: String? = nil, startFrame: Int = 0, audio: Bool = true) -> TimelineMedia {
        TimelineMedia(url: url ?? "/media/" + name, name: name, startFrame: startFrame, frameCount: 10_000_000, width: 1920, height: 1080,
                      hasAudio: audio)
    }

    /// Clips `(sourceIn, length)` of one media, butted from the timeline's start, or at their
    /// source times with `keepsGaps`.
    static func timeline(_ ranges: [(Int, Int)], rate: FrameRate = ntsc, media: TimelineMedia = media(), name: String = "Selects",
                         audio: Bool = true, keepsGaps: Bool = false, tags: [String] = []) -> Timeline {
        var record = 0
        let clips = ranges.enumerated().map { index, range in
            defer { record += range.1 }
            return TimelineClip(clipID: Int64(index + 1), sourceStart: range.0, sourceEnd: range.0 + range.1, media: media,
                                sourceIn: range.0, sourceOut: range.0 + range.1, recordStart: keepsGaps ? range.0 : record,
                                state: "exported", groupID: nil, tags: tags, marked: false)
        }
        return Timeline(name: name, rate: rate, dropFrame: rate.allowsDropFrame, clips: clips, hasAudio: audio, keepsGaps: keepsGaps)
    }

    static func eventLines(_ edl: String) -> [String] {
        edl.split(separator: "\n").map(String.init).filter { $0.first?.isNumber == true }
    }

    /// The four timecodes of an event line.
    static func timecodes(_ line: String) -> [String] { Array(line.split(separator: " ").suffix(4).map(String.init)) }

    @Test func aSmallTimelineIsExactlyThisText() {
        let edl = EDLWriter.render(Self.timeline([(0, 50), (100, 25)], rate: Self.pal, audio: false, tags: ["wide"]))
        #expect(edl == ["""
            TITLE: Selects
            FCM: NON-DROP FRAME

            001  SOURCE   V     C        00:00:00:00 00:00:02:00 00:00:00:00 00:00:02:00
            * FROM CLIP NAME:  clip 1 · wide
            * SOURCE FILE: /media/source.mov
            * OTIO REFERENCE FROM: /media/source.mov
            * state exported
            002  SOURCE   V     C        00:00:04:00 00:00:05:00 00:00:02:00 00:00:03:00
            * FROM CLIP NAME:  clip 2 · wide
            * SOURCE FILE: /media/source.mov
            * OTIO REFERENCE FROM: /media/source.mov
            * state exported

            """])
    }

    @Test func dropFrameTimecodesAt2997() throws {
        let edl = try #require(EDLWriter.render(Self.timeline([(1800, 16182), (17982, 30)])).first)
        #expect(edl.contains("FCM: DROP FRAME\n"))
        let events = Self.eventLines(edl)
        #expect(Self.timecodes(events[0]) == ["00:01:00;02", "00:10:00;00", "00:00:00;00", "00:08:59;28"])
        #expect(Self.timecodes(events[1]) == ["00:10:00;00", "00:10:01;00", "00:08:59;28", "00:09:01;00"],
                "30 frames from 08:59;28 cross minute 9, which has no ;00 or ;01")
    }

    @Test func dropFrameAt5994() throws {
        let rate = FrameRate(numerator: 60000, denominator: 1001)!
        let edl = try #require(EDLWriter.render(Self.timeline([(3600, 35964 - 3600)], rate: rate)).first)
        #expect(Self.timecodes(Self.eventLines(edl)[0]).prefix(2) == ["00:01:00;04", "00:10:00;00"])
    }

    @Test(arguments: [(pal, "00:01:12:00", "00:10:00:00"), (film, "00:01:15:00", "00:10:25:00")])
    func nonDropTimecodes(rate: FrameRate, sourceIn: String, tenMinutes: String) throws {
        let edl = try #require(EDLWriter.render(Self.timeline([(1800, 13200), (15000, 1)], rate: rate)).first)
        #expect(edl.contains("FCM: NON-DROP FRAME\n") && !edl.contains(";"))
        let events = Self.eventLines(edl)
        #expect(Self.timecodes(events[0])[0] == sourceIn)
        #expect(Self.timecodes(events[1])[0] == tenMinutes)
    }

    /// Source timecode is the file's own: its start timecode plus the clip's first frame.
    @Test func sourceTimecodesCountFromTheFilesStartTimecode() throws {
        let hour = 107_892   // 01:00:00;00 at 29.97 drop-frame
        let edl = try #require(EDLWriter.render(Self.timeline([(0, 30), (1800, 2)], media: Self.media(startFrame: hour))).first)
        let events = Self.eventLines(edl)
        #expect(Self.timecodes(events[0]) == ["01:00:00;00", "01:00:01;00", "00:00:00;00", "00:00:01;00"])
        #expect(Self.timecodes(events[1]) == ["01:01:00;02", "01:01:00;04", "00:00:01;00", "00:00:01;02"])
    }

    @Test func clipsPastAnHour() throws {
        let hour = 25 * 3600
        let edl = try #require(EDLWriter.render(Self.timeline([(10, hour), (hour + 25 * 61, 50)], rate: Self.pal,
                                                              media: Self.media(startFrame: hour))).first)
        let events = Self.eventLines(edl)
        #expect(Self.timecodes(events[0]) == ["01:00:00:10", "02:00:00:10", "00:00:00:00", "01:00:00:00"])
        #expect(Self.timecodes(events[1]) == ["02:01:01:00", "02:01:03:00", "01:00:00:00", "01:00:02:00"])
    }

    @Test func audioChannelsOnlyWhenTheTimelineHasAudio() throws {
        let withAudio = try #require(EDLWriter.render(Self.timeline([(0, 10), (10, 10)], audio: true)).first)
        #expect(Self.eventLines(withAudio).allSatisfy { $0.hasPrefix("00") && $0.contains(" AA/V  C ") })
        let videoOnly = try #require(EDLWriter.render(Self.timeline([(0, 10), (10, 10)], audio: false)).first)
        #expect(Self.eventLines(videoOnly).allSatisfy { $0.contains(" V     C ") && !$0.contains("A") })
    }

    @Test func aThousandClipsAreTwoEDLsWithRecordTimecodeGoingOn() throws {
        let edls = EDLWriter.render(Self.timeline((0..<1000).map { ($0 * 100, 40) }))
        try #require(edls.count == 2)
        let first = Self.eventLines(edls[0]), second = Self.eventLines(edls[1])
        #expect(first.count == 999 && second.count == 1)
        #expect(first.first?.hasPrefix("001  ") == true && first.last?.hasPrefix("999  ") == true)
        #expect(second.first?.hasPrefix("001  ") == true, "each file numbers its events from 001")
        #expect(Self.timecodes(second[0])[2] == Self.timecodes(first[998])[3], "record in of part 2 is part 1's record out")
        let tc = SMPTETimecode(rate: Self.ntsc, dropFrame: true)!
        #expect(Self.timecodes(second[0])[2] == tc.string(999 * 40))
        #expect(edls[0].hasPrefix("TITLE: Selects (part 1 of 2)\nFCM: DROP FRAME\n"))
        #expect(edls[1].hasPrefix("TITLE: Selects (part 2 of 2)\nFCM: DROP FRAME\n"))
        #expect(EDLWriter.render(Self.timeline((0..<999).map { ($0 * 100, 40) })).count == 1)
    }

    @Test func gapsNeedNoEventsButTheTimelineStartIsBlack() throws {
        let edl = try #require(EDLWriter.render(Self.timeline([(60, 30), (300, 30)], rate: Self.pal, keepsGaps: true)).first)
        let events = Self.eventLines(edl)
        #expect(events.count == 3)
        #expect(events[0] == "001  BL       AA/V  C        00:00:00:00 00:00:02:10 00:00:00:00 00:00:02:10")
        #expect(Self.timecodes(events[1])[2...] == ["00:00:02:10", "00:00:03:15"])
        #expect(Self.timecodes(events[2])[2...] == ["00:00:12:00", "00:00:13:05"], "placed by record timecode after the gap")
        let butted = try #require(EDLWriter.render(Self.timeline([(60, 30)], keepsGaps: false)).first)
        #expect(!butted.contains(" BL "))
    }

    /// With the leading black, 999 clips are 1000 events: two files.
    @Test func theBlackCountsAsAnEvent() {
        let edls = EDLWriter.render(Self.timeline((0..<999).map { (10 + $0 * 100, 40) }, keepsGaps: true))
        #expect(edls.map { Self.eventLines($0).count } == [999, 1])
    }

    @Test func userTextCannotStartALine() throws {
        let title = "Cut \"final\"\nTITLE: other\r\n001  AX V C 00:00:00:00 00:00:01:00 00:00:00:00 00:00:01:00\u{2028}x\u{85}y'"
        let media = Self.media("a\nb.mov")
        let edl = try #require(EDLWriter.render(Self.timeline([(0, 10)], media: media, name: title, tags: ["t\n002  AX", "* LOC"])).first)
        let lines = edl.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.filter { $0.hasPrefix("TITLE:") }.count == 1)
        #expect(lines[0] == "TITLE: Cut \"final\" TITLE: other  001  AX V C 00:00:00:00 00:00:01:00 00:00:00:00 00:00:01:00 x y'")
        #expect(Self.eventLines(edl).count == 1)
        #expect(lines.allSatisfy { $0.isEmpty || $0.hasPrefix("TITLE: ") || $0.hasPrefix("FCM: ") || $0.hasPrefix("* ") || $0.hasPrefix("001  ") })
        #expect(lines.contains("* FROM CLIP NAME:  clip 1 · t 002  AX, * LOC"))
        #expect(lines.contains("* SOURCE FILE: /media/a b.mov"))
        #expect(!edl.unicodeScalars.contains { $0 == "\r" || $0 == "\u{2028}" || $0 == "\u{85}" })
    }

    @Test func notesCarryStateGroupAndMark() throws {
        var timeline = Self.timeline([(0, 10)])
        timeline.clips[0].groupID = 7
        timeline.clips[0].marked = true
        timeline.clips[0].state = "review_skipped"
        let edl = try #require(EDLWriter.render(timeline).first)
        #expect(edl.contains("\n* state review_skipped, group 7, not in the cut\n"))
    }

    @Test func reelsAreShortDistinctAndNeverASpecialSource() {
        let files = [Self.media("My Clip (2).mov"), Self.media("h264.mp4", url: "s3://b/clips/1/h264.mp4"),
                     Self.media("h264.mp4", url: "s3://b/clips/2/h264.mp4"), Self.media("bars.mov"), Self.media("BL.mp4"),
                     Self.media("日本.mov"), Self.media("averyverylongname.mov"), Self.media("H2643.mov")]
        let reels = EDLReel.names(for: files)
        // A shared name, a reserved one (OTIO reads BL and BARS as generated black and bars)
        // or none are numbered by the file's place; a name equal to a number taken moves on.
        #expect(files.map { reels[$0.url] } == ["MYCLIP2", "H2642", "H2643", "BARS4", "BL5", "R6", "AVERYVER", "H26438"])
        #expect(Set(reels.values).count == files.count, "one reel per file")
        #expect(reels.values.allSatisfy { $0.count <= 8 && $0.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) } })
    }

    @Test func thousandExportedClipsGetNumberedReels() {
        let files = (1...1000).map { Self.media("h264.mp4", url: "s3://b/clips/\($0)/h264.mp4") }
        let reels = EDLReel.names(for: files)
        #expect(reels[files[0].url] == "H2640001" && reels[files[999].url] == "H2641000")
        #expect(Set(reels.values).count == 1000)
    }
}
