/// A reviewed cut of one source as an editor's timeline: clips in source order, each a range of
/// frames of a media file, placed one after another (a selects reel) or at their source times.
/// Every writer (OTIO, EDL, FCPXML, FCP 7 XML, CSV) renders this one value, so they agree.
public struct Timeline: Sendable, Equatable {
    /// The timeline's name (the source's title).
    public var name: String
    /// The rate of the timeline and of every media file in it (the source's constant grid).
    public var rate: FrameRate
    /// Whether timecode is drop-frame (29.97 and 59.94 sources; the EDL writes `;` then).
    public var dropFrame: Bool
    /// The clips, in timeline order; `recordStart` strictly increasing, no overlap.
    public var clips: [TimelineClip]
    /// Whether the media has an audio track (then each writer adds the matching audio track).
    public var hasAudio: Bool
    /// Whether clips sit at their source times (gaps kept) or butt together.
    public var keepsGaps: Bool

    public init(name: String, rate: FrameRate, dropFrame: Bool, clips: [TimelineClip], hasAudio: Bool, keepsGaps: Bool) {
        self.name = name
        self.rate = rate
        self.dropFrame = dropFrame
        self.clips = clips
        self.hasAudio = hasAudio
        self.keepsGaps = keepsGaps
    }

    /// Frames from the timeline's start to the end of its last clip.
    public var durationFrames: Int { clips.last.map { $0.recordStart + $0.frameCount } ?? 0 }

    /// The distinct media files, in order of first use.
    public var media: [TimelineMedia] {
        var seen = Set<String>()
        return clips.compactMap { seen.insert($0.media.url).inserted ? $0.media : nil }
    }
}

/// A media file a timeline's clips reference.
public struct TimelineMedia: Sendable, Equatable {
    /// What the editor opens: an absolute local path, or an `s3://bucket/key` URL.
    public var url: String
    /// The file's name as editors list it (its last path component).
    public var name: String
    /// The file's own start timecode, in frames (0 when it has none); source ranges count from it.
    public var startFrame: Int
    /// The file's length in frames.
    public var frameCount: Int
    public var width: Int
    public var height: Int
    public var hasAudio: Bool

    public init(url: String, name: String, startFrame: Int, frameCount: Int, width: Int, height: Int, hasAudio: Bool) {
        self.url = url
        self.name = name
        self.startFrame = startFrame
        self.frameCount = frameCount
        self.width = width
        self.height = height
        self.hasAudio = hasAudio
    }

    /// The reference as a URL an editor's XML reader takes: `file://` + the percent-encoded
    /// path for a local file, the `s3://` URL as it is.
    public var fileURL: String {
        guard url.hasPrefix("/") else { return url }
        return "file://" + TimelineText.percentEncodedPath(url)
    }
}

/// One clip on a timeline: frames `[sourceIn, sourceOut)` of its media (counted from the file's
/// first frame, so its timecode is `media.startFrame + sourceIn`), placed at `recordStart`.
public struct TimelineClip: Sendable, Equatable {
    public var clipID: Int64
    /// The clip's frames in the source, `[start, end)` (what the review decided).
    public var sourceStart: Int
    public var sourceEnd: Int
    public var media: TimelineMedia
    /// The first frame in the media and one past the last.
    public var sourceIn: Int
    public var sourceOut: Int
    /// Where it starts on the timeline, in frames from the timeline's start.
    public var recordStart: Int
    /// The review state ("exported", "review_skipped", …) and group, for metadata and comments.
    public var state: String
    public var groupID: Int64?
    public var tags: [String]
    /// Not part of the cut (a skipped or archived clip shown with `--clips decided`).
    public var marked: Bool

    public init(clipID: Int64, sourceStart: Int, sourceEnd: Int, media: TimelineMedia, sourceIn: Int, sourceOut: Int,
                recordStart: Int, state: String, groupID: Int64?, tags: [String], marked: Bool) {
        self.clipID = clipID
        self.sourceStart = sourceStart
        self.sourceEnd = sourceEnd
        self.media = media
        self.sourceIn = sourceIn
        self.sourceOut = sourceOut
        self.recordStart = recordStart
        self.state = state
        self.groupID = groupID
        self.tags = tags
        self.marked = marked
    }

    public var frameCount: Int { sourceOut - sourceIn }

    /// "clip 12 · tag1, tag2" — the id and the tags, as editors list clip names.
    public var name: String { tags.isEmpty ? "clip \(clipID)" : "clip \(clipID) · " + tags.joined(separator: ", ") }

    /// "state exported, group 7" — what a comment or metadata field carries.
    public var note: String {
        var parts = ["state \(state)"]
        if let groupID { parts.append("group \(groupID)") }
        if marked { parts.append("not in the cut") }
        return parts.joined(separator: ", ")
    }
}
