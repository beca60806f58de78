import Domain
import Testing

/// Choosing and placing a source's clips on a timeline.
@Suite struct TimelineBuilderTests {
    static let rate = FrameRate(numerator: 30000, denominator: 1001)!
    static let gold = TimelineMedia(url: "s3://bucket/sources/1/gold.mkv", name: "gold", startFrame: 107_892, frameCount: 600,
                                    width: 320, height: 180, hasAudio: true)

    static func clip(_ id: Int64, _ start: Int, _ end: Int, _ state: ClipState, exported: Bool = false) -> TimelineSourceClip {
        TimelineSourceClip(id: id, startFrame: start, endFrame: end, state: state, groupID: nil, tags: [],
                           exported: exported ? TimelineMedia(url: "/data/clips/\(id)/default.mp4", name: "c\(id)", startFrame: 0,
                                                              frameCount: end - start, width: 320, height: 180, hasAudio: false) : nil)
    }

    // Out of order on purpose: the builder sorts by source frame.
    static let clips = [
        clip(4, 300, 450, .reviewSkipped), clip(1, 0, 100, .exported, exported: true), clip(2, 100, 180, .pendingReview),
        clip(3, 180, 300, .reviewApproved), clip(5, 450, 600, .archived),
    ]

    @Test func approvedClipsButtTogetherInSourceOrder() throws {
        let timeline = try TimelineBuilder.build(name: "t", rate: Self.rate, clips: Self.clips, selection: .approved, media: .gold,
                                                 sourceMedia: Self.gold, keepGaps: false)
        #expect(timeline.clips.map(\.clipID) == [1, 3])
        #expect(timeline.clips.map(\.recordStart) == [0, 100])
        #expect(timeline.clips.map(\.sourceIn) == [0, 180] && timeline.clips.map(\.sourceOut) == [100, 300])
        #expect(timeline.durationFrames == 220)
        #expect(timeline.dropFrame && timeline.hasAudio)
        #expect(timeline.media.count == 1, "one shared file")
    }

    @Test func decidedAddsSkippedAndArchivedMarkedAndAllEveryLiveClip() throws {
        let decided = try TimelineBuilder.build(name: "t", rate: Self.rate, clips: Self.clips, selection: .decided, media: .gold,
                                                sourceMedia: Self.gold, keepGaps: true)
        #expect(decided.clips.map(\.clipID) == [1, 3, 4, 5])
        #expect(decided.clips.map(\.marked) == [false, false, true, true])
        #expect(decided.clips.map(\.recordStart) == [0, 180, 300, 450], "at their source times")
        #expect(decided.clips[2].note == "state review_skipped, not in the cut")
        let all = try TimelineBuilder.build(name: "t", rate: Self.rate, clips: Self.clips, selection: .all, media: .gold,
                                            sourceMedia: Self.gold, keepGaps: false)
        #expect(all.clips.map(\.clipID) == [1, 2, 3, 4, 5])
    }

    @Test func exportedMediaStartsEachClipAtItsFilesFirstFrameAndNeedsEveryFile() throws {
        #expect(throws: TimelineError.notExported([3])) {
            try TimelineBuilder.build(name: "t", rate: Self.rate, clips: Self.clips, selection: .approved, media: .exported,
                                      sourceMedia: nil, keepGaps: false)
        }
        let exported = try TimelineBuilder.build(name: "t", rate: Self.rate, clips: [Self.clips[1]], selection: .approved,
                                                 media: .exported, sourceMedia: nil, keepGaps: false)
        #expect(exported.clips[0].sourceIn == 0 && exported.clips[0].sourceOut == 100)
        #expect(exported.clips[0].media.url == "/data/clips/1/default.mp4" && !exported.hasAudio)
    }

    @Test func nothingChosenOrNoMediaIsAnErrorThatSaysWhatToDo() {
        #expect(throws: TimelineError.noClips(.approved)) {
            try TimelineBuilder.build(name: "t", rate: Self.rate, clips: [Self.clips[2]], selection: .approved, media: .gold,
                                      sourceMedia: Self.gold, keepGaps: false)
        }
        #expect(TimelineError.noClips(.approved).description.contains("--clips all"))
        #expect(throws: TimelineError.noSourceMedia(.original)) {
            try TimelineBuilder.build(name: "t", rate: Self.rate, clips: Self.clips, selection: .all, media: .original,
                                      sourceMedia: nil, keepGaps: false)
        }
    }

    @Test func namesCarryIdAndTagsAndLocalPathsBecomeFileURLs() {
        var clip = Self.clip(9, 0, 10, .reviewApproved)
        clip.tags = ["crowd", "wide & \"loud\""]
        let media = TimelineMedia(url: "/media/My Film/gold.mkv", name: "g", startFrame: 0, frameCount: 10, width: 1, height: 1, hasAudio: false)
        #expect(TimelineClip(clipID: 9, sourceStart: 0, sourceEnd: 10, media: media, sourceIn: 0, sourceOut: 10, recordStart: 0,
                             state: "review_approved", groupID: 3, tags: clip.tags, marked: false).name == "clip 9 · crowd, wide & \"loud\"")
        #expect(media.fileURL == "file:///media/My%20Film/gold.mkv")
        #expect(Self.gold.fileURL == "s3://bucket/sources/1/gold.mkv")
        #expect(TimelineText.xml("a<b & \"c\"\u{1}") == "a&lt;b &amp; &quot;c&quot; ")
    }
}
