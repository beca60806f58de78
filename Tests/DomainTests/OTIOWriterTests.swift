import Foundation
import Testing
import Domain

/// The `.otio` writer, read back as JSON: what OpenTimelineIO takes from it.
@Suite struct OTIOWriterTests {
    typealias Object = [String: Any]

    func parse(_ timeline: Timeline) throws -> Object {
        try #require(JSONSerialization.jsonObject(with: Data(OTIOWriter.render(timeline).utf8)) as? Object)
    }

    func tracks(_ root: Object) -> [Object] {
        ((root["tracks"] as? Object)?["children"] as? [Object]) ?? []
    }

    func items(_ track: Object) -> [Object] { track["children"] as? [Object] ?? [] }

    /// (value, rate) of a RationalTime at `path` (e.g. "source_range", "start_time").
    func time(_ item: Object, _ range: String, _ field: String) -> (value: Double, rate: Double)? {
        guard let time = (item[range] as? Object)?[field] as? Object,
              let value = time["value"] as? Double, let rate = time["rate"] as? Double else { return nil }
        return (value, rate)
    }

    @Test func rangesCountFramesFromTheMediaStartTimecodeAtTheExactRate() throws {
        let root = try parse(TimelineWriterSamples.gold(keepGaps: false))
        #expect(root["OTIO_SCHEMA"] as? String == "Timeline.1")
        let clips = items(try #require(tracks(root).first)).filter { $0["OTIO_SCHEMA"] as? String == "Clip.2" }
        try #require(clips.count == 3)
        // 01:00:00;00 is frame 107 892; the first clip uses frames 30–60 of the file.
        #expect(time(clips[0], "source_range", "start_time")?.value == 107_922)
        #expect(time(clips[0], "source_range", "duration")?.value == 30)
        #expect(time(clips[0], "source_range", "start_time")?.rate == 30000.0 / 1001.0)
        #expect(time(clips[2], "source_range", "start_time")?.value == Double(107_892 + 110_000))
        let reference = try #require((clips[0]["media_references"] as? Object)?["DEFAULT_MEDIA"] as? Object)
        #expect(reference["OTIO_SCHEMA"] as? String == "ExternalReference.1")
        #expect(time(reference, "available_range", "start_time")?.value == 107_892)
        #expect(time(reference, "available_range", "duration")?.value == 200_000)
        #expect(clips[0]["active_media_reference_key"] as? String == "DEFAULT_MEDIA")
    }

    @Test func gapsOnlyWhereTheTimelineKeepsThem() throws {
        let kept = items(try #require(tracks(try parse(TimelineWriterSamples.gold(keepGaps: true))).first))
        #expect(kept.map { $0["OTIO_SCHEMA"] as? String } == ["Gap.1", "Clip.2", "Gap.1", "Clip.2", "Gap.1", "Clip.2"])
        // Before the first clip (frame 30), then up to 100 and to 110 000.
        #expect(kept.compactMap { $0["OTIO_SCHEMA"] as? String == "Gap.1" ? time($0, "source_range", "duration")?.value : nil }
            == [30, 40, 109_870])
        let butted = items(try #require(tracks(try parse(TimelineWriterSamples.gold(keepGaps: false))).first))
        #expect(butted.allSatisfy { $0["OTIO_SCHEMA"] as? String == "Clip.2" })
    }

    @Test func anAudioTrackWithTheSameClipsOnlyWhenThereIsSound() throws {
        let withSound = tracks(try parse(TimelineWriterSamples.gold(keepGaps: true)))
        #expect(withSound.map { $0["kind"] as? String } == ["Video", "Audio"])
        #expect(items(withSound[0]).map { $0["name"] as? String } == items(withSound[1]).map { $0["name"] as? String })
        let silent = tracks(try parse(TimelineWriterSamples.gold(keepGaps: true, audio: false)))
        #expect(silent.map { $0["kind"] as? String } == ["Video"])
    }

    @Test func metadataCarriesTheReview() throws {
        let clips = items(try #require(tracks(try parse(TimelineWriterSamples.gold(keepGaps: false))).first))
        let first = try #require((clips[0]["metadata"] as? Object)?["heaters"] as? Object)
        #expect(first["clip_id"] as? Int == 1)
        #expect(first["state"] as? String == "review_approved")
        #expect(first["group"] as? Int == 7)
        #expect(first["tags"] as? [String] == [TimelineWriterSamples.awkwardTag])
        #expect(first["marked"] as? Bool == false)
        let second = try #require((clips[1]["metadata"] as? Object)?["heaters"] as? Object)
        #expect(second["marked"] as? Bool == true)
        #expect(second["group"] is NSNull)
        #expect(clips[0]["name"] as? String == "clip 1 · " + TimelineWriterSamples.awkwardTag)
    }

    @Test func stringsAreEscapedAndReadBackUnchanged() throws {
        let name = "Quote \" backslash \\ tab \t newline \n bell \u{07} <&>"
        let text = OTIOWriter.render(TimelineWriterSamples.gold(keepGaps: false, name: name))
        #expect(text.contains(#""name": "Quote \" backslash \\ tab \t newline \n bell \u0007 <&>""#))
        let root = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? Object)
        #expect(root["name"] as? String == name)
    }

    @Test func localPathsArePercentEncodedFileURLsAndS3URLsAreKept() throws {
        func url(_ timeline: Timeline) throws -> String? {
            let track = try #require(tracks(try parse(timeline)).first)
            let clip = try #require(items(track).first)
            return ((clip["media_references"] as? Object)?["DEFAULT_MEDIA"] as? Object)?["target_url"] as? String
        }
        #expect(try url(TimelineWriterSamples.gold(keepGaps: false)) == "file:///media/gold%20masters/source%201.mkv")
        #expect(try url(TimelineWriterSamples.exported()) == "s3://heaters/exports/clip 8.mp4")
    }

    @Test func theSameTimelineGivesTheSameBytes() {
        let timeline = TimelineWriterSamples.gold(keepGaps: true)
        #expect(OTIOWriter.render(timeline) == OTIOWriter.render(timeline))
        #expect(OTIOWriter.render(timeline).hasSuffix("}\n"))
    }
}
