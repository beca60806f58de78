/// Final Cut Pro 7 XML (`xmeml` version 4), the interchange Premiere Pro and DaVinci Resolve
/// import. Everything is counted in frames of the sequence's `rate` (timebase 30 with `ntsc`
/// TRUE is 30000/1001): a `clipitem`'s `start`/`end` are its record frames, its `in`/`out` its
/// frames counted from the file's first (the file's own `timecode`, whose `frame` is
/// `media.startFrame`, says what timecode that first frame has, and readers add it).
///
/// A `file` is written in full, with an `id`, by the first clip that uses it, and referred to
/// by that `id` from every other clip (several clips of one original share one file element).
/// Clips sit at absolute frames, so kept gaps need no gap items. When the media has sound
/// an audio track holds the same clips, linked to their video, as Premiere's exports do.
/// The review's state and group go in the clip's comments, and a label colour says whether the
/// clip is in the cut (Forest), not in it (Rose) or undecided (Iris).
public enum FCP7XMLWriter {
    public static func render(_ timeline: Timeline) -> String {
        let rate = timeline.rate
        let fileID: [String: String] = Dictionary(uniqueKeysWithValues: timeline.media.enumerated().map { ($1.url, "file-\($0 + 1)") })
        var written = Set<String>()

        var xml = XMLBuilder()
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        xml.raw("<!DOCTYPE xmeml>")
        xml.open("xmeml", [("version", "4")])
        xml.open("sequence", [("id", "sequence-1")])
        xml.element("name", timeline.name)
        xml.element("duration", String(timeline.durationFrames))
        Self.rate(rate, &xml)
        timecode(0, timeline, &xml)
        xml.open("media")
        xml.open("video")
        xml.open("format")
        xml.open("samplecharacteristics")
        Self.rate(rate, &xml)
        if let first = timeline.clips.first?.media {
            xml.element("width", String(first.width))
            xml.element("height", String(first.height))
        }
        xml.element("pixelaspectratio", "square")
        xml.element("fielddominance", "none")
        xml.close("samplecharacteristics")
        xml.close("format")
        track(.video, timeline, fileID: fileID, written: &written, &xml)
        xml.close("video")
        if timeline.hasAudio {
            xml.open("audio")
            xml.open("format")
            xml.open("samplecharacteristics")
            xml.element("depth", "16")
            xml.element("samplerate", "48000")
            xml.close("samplecharacteristics")
            xml.close("format")
            track(.audio, timeline, fileID: fileID, written: &written, &xml)
            xml.close("audio")
        }
        xml.close("media")
        xml.close("sequence")
        xml.close("xmeml")
        return xml.text
    }

    private enum Kind: String { case video, audio }

    /// One track of every clip (the audio track holds the same clips as the video one).
    private static func track(_ kind: Kind, _ timeline: Timeline, fileID: [String: String], written: inout Set<String>,
                              _ xml: inout XMLBuilder) {
        xml.open("track")
        for (index, clip) in timeline.clips.enumerated() {
            clipItem(clip, index: index, kind: kind, timeline, fileID: fileID[clip.media.url]!, written: &written, &xml)
        }
        xml.close("track")
    }

    private static func clipItem(_ clip: TimelineClip, index: Int, kind: Kind, _ timeline: Timeline, fileID: String,
                                 written: inout Set<String>, _ xml: inout XMLBuilder) {
        let count = timeline.clips.count
        let id = { (kind: Kind) in "clipitem-\(kind == .video ? index + 1 : count + index + 1)" }
        xml.open("clipitem", [("id", id(kind))])
        xml.element("name", clip.name)
        xml.element("enabled", "TRUE")
        // A clip item's duration is its media's length; in and out choose the frames.
        xml.element("duration", String(clip.media.frameCount))
        rate(timeline.rate, &xml)
        xml.element("start", String(clip.recordStart))
        xml.element("end", String(clip.recordStart + clip.frameCount))
        xml.element("in", String(clip.sourceIn))
        xml.element("out", String(clip.sourceOut))
        if written.insert(fileID).inserted {
            file(clip.media, id: fileID, timeline, &xml)
        } else {
            xml.empty("file", [("id", fileID)])
        }
        xml.open("sourcetrack")
        xml.element("mediatype", kind.rawValue)
        xml.element("trackindex", "1")
        xml.close("sourcetrack")
        if timeline.hasAudio {
            for linked in [Kind.video, .audio] {
                xml.open("link")
                xml.element("linkclipref", id(linked))
                xml.element("mediatype", linked.rawValue)
                xml.element("trackindex", "1")
                xml.element("clipindex", String(index + 1))
                if linked == .audio { xml.element("groupindex", "1") }
                xml.close("link")
            }
        }
        xml.open("comments")
        xml.element("clipcommenta", clip.note)
        if !clip.tags.isEmpty { xml.element("clipcommentb", clip.tags.joined(separator: ", ")) }
        xml.close("comments")
        xml.open("labels")
        switch clip.verdict {
        case .inTheCut: xml.element("label2", "Forest")
        case .notInTheCut: xml.element("label2", "Rose")
        case .undecided: xml.element("label2", "Iris")
        }
        xml.close("labels")
        xml.close("clipitem")
    }

    private static func file(_ media: TimelineMedia, id: String, _ timeline: Timeline, _ xml: inout XMLBuilder) {
        xml.open("file", [("id", id)])
        xml.element("name", media.name)
        xml.element("pathurl", media.fileURL)
        rate(timeline.rate, &xml)
        xml.element("duration", String(media.frameCount))
        timecode(media.startFrame, timeline, &xml)
        xml.open("media")
        xml.open("video")
        xml.open("samplecharacteristics")
        rate(timeline.rate, &xml)
        xml.element("width", String(media.width))
        xml.element("height", String(media.height))
        xml.close("samplecharacteristics")
        xml.close("video")
        // Present when the file has sound; the reading application finds its channels.
        if media.hasAudio { xml.empty("audio") }
        xml.close("media")
        xml.close("file")
    }

    /// `<rate>`: the whole timecode base and whether the real rate is 1000/1001 of it.
    private static func rate(_ rate: FrameRate, _ xml: inout XMLBuilder) {
        xml.open("rate")
        xml.element("timebase", String(rate.timecodeBase))
        xml.element("ntsc", rate.isNTSC ? "TRUE" : "FALSE")
        xml.close("rate")
    }

    /// `<timecode>` of frame `frame`: the frame count readers use, and the string for people.
    private static func timecode(_ frame: Int, _ timeline: Timeline, _ xml: inout XMLBuilder) {
        let dropFrame = timeline.dropFrame && timeline.rate.allowsDropFrame
        let smpte = SMPTETimecode(rate: timeline.rate, dropFrame: dropFrame)!
        xml.open("timecode")
        rate(timeline.rate, &xml)
        xml.element("string", smpte.string(frame))
        xml.element("frame", String(frame))
        xml.element("displayformat", dropFrame ? "DF" : "NDF")
        xml.close("timecode")
    }
}
