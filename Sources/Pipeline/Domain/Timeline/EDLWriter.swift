/// CMX 3600 EDL text of a timeline, one string per file: each clip is one event, its video
/// (`V`) and, when the timeline has audio, its two audio channels on the same line (`AA/V`,
/// which OpenTimelineIO's cmx_3600 reader turns into tracks V, A1 and A2). A CMX 3600 list
/// numbers events 001–999, so a longer timeline is split into parts, each numbered from 001,
/// their record timecodes going on where the previous part stopped.
///
/// Conventions, each checked against the OTIO cmx_3600 adapter 1.0 reading the output back:
/// - The record side starts at 00:00:00:00 (`recordStartFrame`): that reader makes a track's
///   first event its start and carries any earlier record time as a negative trim of the track,
///   which cuts the track's end off by that much (at 01:00:00:00 no clip is left inside it).
/// - Gaps between clips need no events: readers place events by record timecode, and OTIO
///   fills the space with a Gap. A gap before the first clip (clips kept at their source times)
///   is a black event (`BL`) from 00:00:00:00, for the reason above; it takes an event number.
/// - The media URL is in `* SOURCE FILE:` (Avid, Resolve) and `* OTIO REFERENCE FROM:`, which
///   OTIO reads as the clip's target URL; `* FROM CLIP:`/`* FROM FILE:` would also be read, but
///   they make Premiere name every clip UNKNOWN (OTIO issue 1178), so they are not written.
public enum EDLWriter {
    public static let maximumEvents = 999
    /// The record timecode of the timeline's first frame.
    public static let recordStartFrame = 0

    public static func render(_ timeline: Timeline) -> [String] {
        let timecode = SMPTETimecode(rate: timeline.rate, dropFrame: timeline.dropFrame)
            ?? SMPTETimecode(rate: timeline.rate, dropFrame: false)!
        let reels = EDLReel.names(for: timeline.media)
        let channels = timeline.hasAudio ? "AA/V" : "V"
        var events: [EDLEvent] = []
        if let first = timeline.clips.first, first.recordStart > 0 {
            events.append(.black(frames: first.recordStart))
        }
        events += timeline.clips.map { .clip($0) }

        let parts = stride(from: 0, to: max(events.count, 1), by: maximumEvents).map {
            Array(events[$0..<min($0 + maximumEvents, events.count)])
        }
        return parts.enumerated().map { index, part in
            var title = TimelineText.oneLine(timeline.name)
            if parts.count > 1 { title += " (part \(index + 1) of \(parts.count))" }
            var lines = ["TITLE: " + title, timecode.dropFrame ? "FCM: DROP FRAME" : "FCM: NON-DROP FRAME", ""]
            for (offset, event) in part.enumerated() {
                lines += event.lines(number: offset + 1, channels: channels, timecode: timecode, reels: reels)
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}

/// One event of an EDL: a clip, or the black before the first clip.
enum EDLEvent {
    case clip(TimelineClip)
    case black(frames: Int)

    func lines(number: Int, channels: String, timecode: SMPTETimecode, reels: [String: String]) -> [String] {
        switch self {
        case .black(let frames):
            let start = EDLWriter.recordStartFrame
            return [Self.line(number: number, reel: "BL", channels: channels, source: 0..<frames,
                              record: start..<start + frames, timecode: timecode)]
        case .clip(let clip):
            let source = clip.media.startFrame + clip.sourceIn..<clip.media.startFrame + clip.sourceOut
            let recordIn = EDLWriter.recordStartFrame + clip.recordStart
            let url = TimelineText.oneLine(clip.media.url)
            // Every comment starts with "* ", and each text is one line, so no user text can
            // begin a line a reader takes for an event or a header.
            return [
                Self.line(number: number, reel: reels[clip.media.url] ?? "AX", channels: channels, source: source,
                          record: recordIn..<recordIn + clip.frameCount, timecode: timecode),
                "* FROM CLIP NAME:  " + TimelineText.oneLine(clip.name),
                "* SOURCE FILE: " + url,
                "* OTIO REFERENCE FROM: " + url,
                "* " + TimelineText.oneLine(clip.note),
            ]
        }
    }

    /// `001  REEL0001 AA/V  C        00:00:00:00 00:00:05:00 00:00:00:00 00:00:05:00` — the
    /// columns CMX 3600 fixes (event, 8-character reel, channels, cut, source in/out, record in/out).
    static func line(number: Int, reel: String, channels: String, source: Range<Int>, record: Range<Int>,
                     timecode: SMPTETimecode) -> String {
        let event = String(repeating: "0", count: max(0, 3 - String(number).count)) + String(number)
        return event + "  " + padded(reel, 8) + " " + padded(channels, 5) + " C        "
            + [source.lowerBound, source.upperBound, record.lowerBound, record.upperBound].map(timecode.string).joined(separator: " ")
    }

    private static func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
