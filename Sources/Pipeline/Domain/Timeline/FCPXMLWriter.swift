/// FCPXML 1.8 for Final Cut Pro (10.4.1 and later import it). 1.8 because it is the newest
/// version whose `asset` names its file with a `src` attribute: 1.9 moved that into a
/// `media-rep` child, which OpenTimelineIO's FCPXML adapter (1.0.0) does not read, and Final
/// Cut Pro still imports 1.8.
///
/// Resources: a `format` per frame size (the sequence uses the first clip's) and one `asset`
/// per media file, however many clips use it; its `start` is the file's start timecode and its
/// `duration` its length. The project's `sequence` holds a `spine` of `asset-clip`s, placed at
/// `offset` = their record time, taking `duration` from `start` = their source timecode
/// (`media.startFrame + sourceIn`, in the asset's time as FCPXML wants), with a `gap` wherever
/// the timeline is empty, since a spine's items follow each other without holes.
///
/// Times are exact rationals of seconds: frames × 1001/30000 s at 29.97, reduced ("1001/1000s"
/// is frame 30), so no frame drifts however long the timeline.
///
/// Sound is FCP's way: an asset-clip carries its asset's audio (`hasAudio`), there is no
/// separate audio track; when the timeline has no sound, a clip whose file has some takes
/// only its picture (`srcEnable="video"`). The review's state and group go in the clip's
/// `note`, its tags in a `keyword`, and a clip not in the cut is rated `reject` (one in it
/// `favorite`), so FCP's browser filters show them.
public enum FCPXMLWriter {
    public static func render(_ timeline: Timeline) -> String {
        let media = timeline.media
        var sizes: [Size] = []
        for file in media where !sizes.contains(Size(file)) { sizes.append(Size(file)) }
        let formatID = { (file: TimelineMedia) in "r\((sizes.firstIndex(of: Size(file)) ?? 0) + 1)" }
        let formatCount = max(sizes.count, 1)
        var assetID: [String: String] = [:]
        for (index, file) in media.enumerated() { assetID[file.url] = "r\(formatCount + index + 1)" }
        let time = { (frames: Int) in Self.time(frames, timeline.rate) }
        let tcFormat = timeline.dropFrame ? "DF" : "NDF"

        var xml = XMLBuilder()
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        xml.raw("<!DOCTYPE fcpxml>")
        xml.open("fcpxml", [("version", "1.8")])
        xml.open("resources")
        if sizes.isEmpty { xml.empty("format", [("id", "r1"), ("frameDuration", time(1))]) }
        for (index, size) in sizes.enumerated() {
            xml.empty("format", [("id", "r\(index + 1)"), ("frameDuration", time(1)),
                                 ("width", String(size.width)), ("height", String(size.height))])
        }
        for file in media {
            xml.empty("asset", [("id", assetID[file.url]!), ("name", file.name), ("src", file.fileURL),
                                ("start", time(file.startFrame)), ("duration", time(file.frameCount)),
                                ("hasVideo", "1"), ("format", formatID(file)), ("hasAudio", file.hasAudio ? "1" : "0")])
        }
        xml.close("resources")
        xml.open("library")
        xml.open("event", [("name", timeline.name)])
        xml.open("project", [("name", timeline.name)])
        var sequence = [("format", "r1"), ("duration", time(timeline.durationFrames)), ("tcStart", "0s"), ("tcFormat", tcFormat)]
        if timeline.hasAudio { sequence += [("audioLayout", "stereo"), ("audioRate", "48k")] }
        xml.open("sequence", sequence)
        xml.open("spine")
        for item in timeline.items {
            switch item {
            case .gap(let start, let frames):
                xml.empty("gap", [("name", "Gap"), ("offset", time(start)), ("duration", time(frames))])
            case .clip(let clip):
                let start = time(clip.media.startFrame + clip.sourceIn), duration = time(clip.frameCount)
                var attributes = [("ref", assetID[clip.media.url]!), ("offset", time(clip.recordStart)), ("name", clip.name),
                                  ("start", start), ("duration", duration), ("tcFormat", tcFormat)]
                if !timeline.hasAudio && clip.media.hasAudio { attributes.append(("srcEnable", "video")) }
                xml.open("asset-clip", attributes)
                // The DTD's order: note, then markers, ratings and keywords (in clip time).
                xml.element("note", clip.note)
                switch clip.verdict {
                case .inTheCut: xml.empty("rating", [("start", start), ("duration", duration), ("value", "favorite")])
                case .notInTheCut: xml.empty("rating", [("start", start), ("duration", duration), ("value", "reject")])
                case .undecided: break
                }
                if !clip.tags.isEmpty {
                    xml.empty("keyword", [("start", start), ("duration", duration), ("value", clip.tags.joined(separator: ", "))])
                }
                xml.close("asset-clip")
            }
        }
        xml.close("spine")
        xml.close("sequence")
        xml.close("project")
        xml.close("event")
        xml.close("library")
        xml.close("fcpxml")
        return xml.text
    }

    /// `frames` at `rate` as FCPXML time: frames × den / num seconds, reduced ("0s", "3600s",
    /// "1001/1000s").
    static func time(_ frames: Int, _ rate: FrameRate) -> String {
        guard frames != 0 else { return "0s" }
        let numerator = frames * rate.denominator, denominator = rate.numerator
        let d = FrameRate.gcd(abs(numerator), denominator)
        return denominator / d == 1 ? "\(numerator / d)s" : "\(numerator / d)/\(denominator / d)s"
    }

    private struct Size: Equatable {
        let width: Int, height: Int
        init(_ media: TimelineMedia) { (width, height) = (media.width, media.height) }
    }
}
