/// The timeline as PySceneDetect 0.7.2's `list-scenes` CSV, byte for byte what its CLI writes
/// for the same scenes, so scripts written for it work: a first row `Timecode List:` and the
/// cut timecodes (the start of every scene but the first), the header, one row per clip.
///
/// Each row is the clip's scene in the source video, `[sourceStart, sourceEnd)`, not its place
/// on the timeline. PySceneDetect numbers frames from 1 in "Start Frame" and writes the
/// exclusive end (0-based) as "End Frame": scene [0, 150) is `1,…,150,…,150`. Its
/// `load-scenes` reads only the start column (subtracting 1) and makes contiguous scenes from
/// the video's start to its end, so it gives back exactly these scenes when the clips cover
/// the source without gaps (every live clip); with gaps it gives the same cut points, each
/// scene running on to the next clip's start.
public enum SceneListCSVWriter {
    public static let header = "Scene Number,Start Frame,Start Timecode,Start Time (seconds),End Frame,End Timecode,"
        + "End Time (seconds),Length (frames),Length (timecode),Length (seconds)"

    public static func render(_ timeline: Timeline) -> String {
        let rate = timeline.rate
        let cuts = timeline.clips.dropFirst().map { SceneDetectTime.timecode($0.sourceStart, rate) }
        // With no cut the CLI writes an empty first row, not "Timecode List:" alone (its
        // write_scene_list falls back to an empty list); load-scenes skips it either way.
        var lines = [cuts.isEmpty ? "" : (["Timecode List:"] + cuts).joined(separator: ",")]
        lines.append(header)
        for (index, clip) in timeline.clips.enumerated() {
            let start = clip.sourceStart, end = clip.sourceEnd, length = max(end - start, 0)
            lines.append([
                "\(index + 1)",
                "\(start + 1)", SceneDetectTime.timecode(start, rate), SceneDetectTime.seconds(start, rate),
                "\(end)", SceneDetectTime.timecode(end, rate), SceneDetectTime.seconds(end, rate),
                "\(length)", SceneDetectTime.timecode(length, rate), SceneDetectTime.seconds(length, rate),
            ].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
