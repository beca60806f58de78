/// What a track holds, in order: each clip, and a gap wherever the timeline is empty before one
/// (a kept gap between clips, or a first clip that does not start at 0). Formats that lay items
/// end to end (OTIO tracks, the FCPXML spine) spell the gaps out; FCP 7 XML places clips at
/// absolute frames and needs none.
enum TimelineItem: Equatable {
    /// `frames` empty frames from `start` on the timeline.
    case gap(start: Int, frames: Int)
    case clip(TimelineClip)
}

extension Timeline {
    /// The clips with gaps between them, from `recordStart` (not `keepsGaps`, which only says
    /// how the builder placed them): butted clips get none.
    var items: [TimelineItem] {
        var items: [TimelineItem] = []
        var cursor = 0
        for clip in clips {
            if clip.recordStart > cursor { items.append(.gap(start: cursor, frames: clip.recordStart - cursor)) }
            items.append(.clip(clip))
            cursor = max(cursor, clip.recordStart + clip.frameCount)
        }
        return items
    }
}
