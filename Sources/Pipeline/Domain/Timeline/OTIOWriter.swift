/// OpenTimelineIO's JSON (`.otio`), as OpenTimelineIO 0.18 serializes it: a `Timeline.1` whose
/// `Stack.1` holds a video `Track.1` and, when the media has sound, an audio one with the same
/// clips, so an editor importing it gets picture and sound cut alike.
///
/// Times are `RationalTime.1` values counted in frames at the timeline's rate. OTIO rates are
/// doubles, so 30000/1001 is written as the double nearest it (29.97002997002997); the frame
/// counts stay whole numbers, which is what OTIO compares. A clip's `source_range` starts at its
/// source timecode (`media.startFrame + sourceIn`, the convention OTIO's own adapters use) and
/// its media's `available_range` at the file's start timecode.
///
/// Keys are written in the order OTIO writes them, so the same timeline gives the same bytes.
public enum OTIOWriter {
    public static func render(_ timeline: Timeline) -> String {
        var tracks = [track(name: "V1", kind: "Video", timeline)]
        if timeline.hasAudio { tracks.append(track(name: "A1", kind: "Audio", timeline)) }
        // Metadata keys sorted, as OTIO keeps them: reading the file and writing it again with
        // OTIO gives the same bytes.
        let heaters: OrderedJSON = .object([
            ("drop_frame", .bool(timeline.dropFrame)),
            ("keeps_gaps", .bool(timeline.keepsGaps)),
            ("rate", .string(timeline.rate.description)),
        ])
        let root: OrderedJSON = .object([
            ("OTIO_SCHEMA", .string("Timeline.1")),
            ("metadata", .object([("heaters", heaters)])),
            ("name", .string(timeline.name)),
            // Record time counts from 0 (`recordStart`), which is OTIO's default.
            ("global_start_time", .null),
            ("tracks", .object([("OTIO_SCHEMA", .string("Stack.1"))] + itemFields(name: "tracks", sourceRange: .null)
                + [("children", .array(tracks))])),
        ])
        return root.rendered() + "\n"
    }

    private static func track(name: String, kind: String, _ timeline: Timeline) -> OrderedJSON {
        let children: [OrderedJSON] = timeline.items.map { item in
            switch item {
            case .gap(_, let frames):
                return .object([("OTIO_SCHEMA", .string("Gap.1"))]
                    + itemFields(name: "", sourceRange: range(start: 0, frames: frames, timeline.rate)))
            case .clip(let clip):
                return self.clip(clip, timeline.rate)
            }
        }
        return .object([("OTIO_SCHEMA", .string("Track.1"))] + itemFields(name: name, sourceRange: .null)
            + [("children", .array(children)), ("kind", .string(kind))])
    }

    private static func clip(_ clip: TimelineClip, _ rate: FrameRate) -> OrderedJSON {
        // `source_*_frame`: the clip's frames in the source; with exported media the source
        // range starts at the exported file's first frame, so this says where it came from.
        let heaters: OrderedJSON = .object([
            ("clip_id", .integer(Int(clip.clipID))),
            ("group", clip.groupID.map { .integer(Int($0)) } ?? .null),
            ("marked", .bool(clip.marked)),
            ("source_end_frame", .integer(clip.sourceEnd)),
            ("source_start_frame", .integer(clip.sourceStart)),
            ("state", .string(clip.state)),
            ("tags", .array(clip.tags.map { .string($0) })),
        ])
        let media = clip.media
        let reference: OrderedJSON = .object([
            ("OTIO_SCHEMA", .string("ExternalReference.1")),
            ("metadata", .object([])),
            ("name", .string(media.name)),
            ("available_range", range(start: media.startFrame, frames: media.frameCount, rate)),
            ("available_image_bounds", .null),
            ("target_url", .string(media.fileURL)),
        ])
        return .object([("OTIO_SCHEMA", .string("Clip.2"))]
            + itemFields(name: clip.name, metadata: .object([("heaters", heaters)]),
                         sourceRange: range(start: media.startFrame + clip.sourceIn, frames: clip.frameCount, rate))
            + [("media_references", .object([("DEFAULT_MEDIA", reference)])),
               ("active_media_reference_key", .string("DEFAULT_MEDIA"))])
    }

    /// The fields every OTIO item (stack, track, clip, gap) has, in OTIO's order.
    private static func itemFields(name: String, metadata: OrderedJSON = .object([]),
                                   sourceRange: OrderedJSON) -> [(String, OrderedJSON)] {
        [("metadata", metadata), ("name", .string(name)), ("source_range", sourceRange),
         ("effects", .array([])), ("markers", .array([])), ("enabled", .bool(true)), ("color", .null)]
    }

    private static func range(start: Int, frames: Int, _ rate: FrameRate) -> OrderedJSON {
        .object([("OTIO_SCHEMA", .string("TimeRange.1")), ("duration", time(frames, rate)), ("start_time", time(start, rate))])
    }

    private static func time(_ frames: Int, _ rate: FrameRate) -> OrderedJSON {
        .object([("OTIO_SCHEMA", .string("RationalTime.1")), ("rate", .double(rate.doubleValue)), ("value", .double(Double(frames)))])
    }
}
