import Domain

/// Timelines the writer tests share, built the way `heaters timeline` builds them (through
/// `TimelineBuilder`), so the tests see the clips the command would write.
enum TimelineWriterSamples {
    static let ntsc = FrameRate(numerator: 30000, denominator: 1001)!
    static let pal = FrameRate(numerator: 25, denominator: 1)!
    /// 01:00:00;00 at 29.97 drop-frame: 107 892 frames from 00:00:00;00.
    static let hourDF = SMPTETimecode(rate: ntsc, dropFrame: true)!.frame("01:00:00;00")!
    /// A tag with everything a writer must escape.
    static let awkwardTag = "a<b & \"c\" 'd'\nnext"

    static func media(_ url: String, start: Int = 0, frames: Int = 200_000, audio: Bool = true) -> TimelineMedia {
        TimelineMedia(url: url, name: String(url.split(separator: "/").last ?? ""), startFrame: start, frameCount: frames,
                      width: 1920, height: 1080, hasAudio: audio)
    }

    /// Three clips of one gold master starting at `start`: frames 30–60 (approved, tagged,
    /// group 7), 100–130 (skipped: not in the cut) and 110 000–110 300 (past an hour).
    static func gold(rate: FrameRate = ntsc, start: Int = hourDF, keepGaps: Bool, audio: Bool = true,
                     url: String = "/media/gold masters/source 1.mkv", name: String = "Source one") -> Timeline {
        try! TimelineBuilder.build(name: name, rate: rate, clips: [
            TimelineSourceClip(id: 1, startFrame: 30, endFrame: 60, state: .reviewApproved, groupID: 7, tags: [awkwardTag], exported: nil),
            TimelineSourceClip(id: 2, startFrame: 100, endFrame: 130, state: .reviewSkipped, groupID: nil, tags: [], exported: nil),
            TimelineSourceClip(id: 3, startFrame: 110_000, endFrame: 110_300, state: .embedded, groupID: nil, tags: [], exported: nil),
        ], selection: .decided, media: .gold, sourceMedia: media(url, start: start, audio: audio), keepGaps: keepGaps)
    }

    /// Two approved clips, each with its own exported file (which starts at its first frame).
    static func exported() -> Timeline {
        try! TimelineBuilder.build(name: "Exported", rate: ntsc, clips: [
            TimelineSourceClip(id: 8, startFrame: 0, endFrame: 48, state: .exported, groupID: nil, tags: [],
                               exported: media("s3://heaters/exports/clip 8.mp4", frames: 48)),
            TimelineSourceClip(id: 9, startFrame: 90, endFrame: 120, state: .embedded, groupID: nil, tags: [],
                               exported: media("s3://heaters/exports/clip 9.mp4", frames: 30)),
        ], selection: .approved, media: .exported, sourceMedia: nil, keepGaps: false)
    }
}

extension StringProtocol {
    func occurrences(of needle: String) -> Int { ranges(of: needle).count }
}
