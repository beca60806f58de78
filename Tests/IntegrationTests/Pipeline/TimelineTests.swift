@testable import Database
import Domain
import Foundation
import Testing

/// `heaters timeline` read back by the real readers: OpenTimelineIO with its CMX 3600, FCPXML
/// and FCP 7 adapters (the project's .venv), and PySceneDetect's `load-scenes` (.venv-bench),
/// for sources generated at 25, 23.976, 29.97 and 59.94 fps — with audio or without, one with a
/// start timecode of 01:00:00:00 and one whose clips cross one hour of drop-frame timecode.
@Suite(.timeLimit(.minutes(12))) struct TimelineTests {
    struct Source {
        var title: String
        var rate: FrameRate
        var timecode: String?
        var audio: Bool
    }

    static let sources = [
        Source(title: "pal", rate: FrameRate(numerator: 25, denominator: 1)!, timecode: nil, audio: true),
        Source(title: "film", rate: FrameRate(numerator: 24000, denominator: 1001)!, timecode: "01:00:00:00", audio: false),
        Source(title: "ntsc", rate: FrameRate(numerator: 30000, denominator: 1001)!, timecode: "01:00:58;00", audio: true),
        Source(title: "fast", rate: FrameRate(numerator: 60000, denominator: 1001)!, timecode: nil, audio: false),
    ]

    /// What the OTIO reader script printed: tracks of items.
    struct Read: Decodable {
        struct Track: Decodable {
            var kind: String
            var items: [Item]
        }
        struct Item: Decodable {
            var type: String
            var name: String?
            var start: Int
            var duration: Int
            var target_url: String?
            var range_in_parent_start: Int?
        }
        var tracks: [Track]
    }

    static func read(_ format: String, _ file: URL, rate: FrameRate) throws -> Read {
        let script = ProjectPaths.root.appendingPathComponent("Tests/IntegrationTests/Fixtures/read-timeline.py")
        let python = ProjectPaths.venv.appendingPathComponent("bin/python")
        let outcome = try HeatersCLI.runProgram(python, [script.path, format, file.path, String(rate.doubleValue)])
        guard outcome.status == 0 else { throw FixtureError("the \(format) reader refused \(file.lastPathComponent): \(outcome.output)") }
        return try JSONDecoder().decode(Read.self, from: Data(outcome.stdout.utf8))
    }

    func timeline(_ f: StationFixture, _ arguments: [String]) throws -> HeatersCLI.Outcome {
        try HeatersCLI.run(["timeline"] + arguments, dataDirectory: f.dir)
    }

    @Test func everyFormatReadsBackFrameExactInEveryRate() async throws {
        let f = try await StationFixture("timeline", processed: false)
        defer { f.cleanUp() }
        for source in Self.sources {
            let file = f.dir.appendingPathComponent("\(source.title).mp4")
            try SceneFixtures.timelineSource(at: file, rate: source.rate.description, timecode: source.timecode, audio: source.audio)
            let outcome = try HeatersCLI.run(["submit", "--title", source.title, file.path], dataDirectory: f.dir)
            #expect(outcome.status == 0, "\(outcome.output)")
        }
        let variable = try VideoFixtures.variableRatePattern(at: f.dir.appendingPathComponent("phone.mkv"))
        #expect(try HeatersCLI.run(["submit", "--title", "phone", variable.path], dataDirectory: f.dir).status == 0)
        let workers = ["--headless", "--until-idle", "--queues", "io=1,media=2,review=0,default=0"]
        #expect(f.queue.waitForExit(try HeatersCLI.launch(workers, dataDirectory: f.dir), timeout: 400) == 0)

        let gold = f.dir.appendingPathComponent("storage")
        for source in Self.sources {
            let row = try #require(try f.db.query("""
                SELECT id, frame_rate_numerator AS n, frame_rate_denominator AS d, start_timecode FROM source_videos WHERE title = $1
                """, [source.title]).first)
            let id: Int64 = try row.decode("id")
            // Preprocessing recorded the exact rate and the start timecode.
            #expect(try row.decode("n", as: Int.self) == source.rate.numerator && row.decode("d", as: Int.self) == source.rate.denominator)
            #expect(try row.decodeIfPresent("start_timecode", as: String.self) == source.timecode)
            // … and wrote the timecode into the gold master, so an editor opening it sees the same.
            let probe = try HeatersCLI.runProgram(URL(fileURLWithPath: "/usr/bin/ffprobe"), [
                "-v", "error", "-select_streams", "v:0", "-show_entries", "stream_tags=timecode", "-of", "csv=p=0",
                gold.appendingPathComponent("sources/\(id)/gold.mkv").path])
            #expect(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == (source.timecode ?? ""), "\(probe.output)")
            let clips: [(id: Int64, start: Int, end: Int)] = try f.db.query(
                "SELECT id, start_frame, end_frame FROM clips WHERE source_video_id = $1 AND retired_at IS NULL ORDER BY start_frame", [id])
                .map { (try $0.decode("id"), try $0.decode("start_frame"), try $0.decode("end_frame")) }
            #expect(clips.count == 3, "\(source.title): three shots detected")
            guard clips.count == 3 else { continue }

            // Nothing approved yet: a clear refusal; then the first and last shots approved.
            let none = try timeline(f, [String(id)])
            #expect(none.status != 0 && none.stderr.contains("no clip of the source is approved yet"), "\(none.output)")
            let tag = try HeatersCLI.run(["clip", "tag", String(clips[2].id), "--tag", "wide & \"loud\"", "--reviewer", "alice"],
                                         dataDirectory: f.dir, extra: ["HEATERS_UNDO_SECONDS": "0"])
            #expect(tag.status == 0, "\(tag.output)")
            for clip in [clips[0], clips[2]] {
                let approve = try HeatersCLI.run(["clip", "approve", String(clip.id), "--reviewer", "alice"], dataDirectory: f.dir,
                                                 extra: ["HEATERS_UNDO_SECONDS": "0"])
                #expect(approve.status == 0, "\(approve.output)")
            }

            let dropFrame = source.rate.allowsDropFrame && (source.timecode?.contains(";") ?? true)
            let timecode = try #require(SMPTETimecode(rate: source.rate, dropFrame: dropFrame))
            let startFrame = source.timecode.flatMap { timecode.frame($0) } ?? 0
            let master = gold.appendingPathComponent("sources/\(id)/gold.mkv").standardizedFileURL.path
            let approved = [clips[0], clips[2]]
            for format in ["otio", "edl", "fcpxml", "fcp7"] {
                let out = f.dir.appendingPathComponent("\(source.title).\(format)")
                let written = try timeline(f, [String(id), "--format", format, "-o", out.path])
                #expect(written.status == 0, "\(source.title) \(format): \(written.output)")
                let read = try Self.read(format, out, rate: source.rate)
                let video = try #require(read.tracks.first { $0.kind == "Video" }, "\(format): a video track")
                let videoClips = video.items.filter { $0.type == "clip" }
                #expect(videoClips.map(\.start) == approved.map { startFrame + $0.start }, "\(source.title) \(format): source in points")
                #expect(videoClips.map(\.duration) == approved.map { $0.end - $0.start }, "\(source.title) \(format): lengths")
                #expect(videoClips.allSatisfy { ($0.target_url ?? "").hasSuffix(master) || ($0.target_url ?? "").removingPercentEncoding?.hasSuffix(master) == true },
                        "\(source.title) \(format): every clip references the gold master: \(videoClips.map(\.target_url))")
                #expect(videoClips.map(\.range_in_parent_start) == [0, approved[0].end - approved[0].start], "butted together")
                #expect(videoClips.first?.name?.contains("clip \(clips[0].id)") == true, "\(format): \(videoClips.map(\.name))")
                let audio = read.tracks.filter { $0.kind == "Audio" }.flatMap(\.items).filter { $0.type == "clip" }
                if format == "fcpxml" {
                    // Final Cut's model: the sound rides with each clip (the asset says hasAudio), no audio track.
                    let text = try String(contentsOf: out, encoding: .utf8)
                    #expect(text.contains("hasAudio=\"\(source.audio ? 1 : 0)\""), "\(source.title) fcpxml: the asset's sound")
                } else if source.audio {
                    // The EDL's AA/V reads back as two audio tracks (A1, A2), the others as one.
                    let tracks = read.tracks.filter { $0.kind == "Audio" }
                    #expect(tracks.count == (format == "edl" ? 2 : 1), "\(source.title) \(format): audio tracks")
                    for track in tracks {
                        #expect(track.items.filter { $0.type == "clip" }.map(\.start) == approved.map { startFrame + $0.start },
                                "\(source.title) \(format): audio matches")
                    }
                } else {
                    #expect(audio.isEmpty, "\(source.title) \(format): no audio track without audio")
                }
                if format == "edl" {
                    let text = try String(contentsOf: out, encoding: .utf8)
                    #expect(text.contains(dropFrame ? "FCM: DROP FRAME" : "FCM: NON-DROP FRAME"))
                    if dropFrame { #expect(text.contains(timecode.string(startFrame + approved[1].start))) }
                }
            }
            // Placed at their source times: a gap where the skipped middle shot was.
            let gaps = f.dir.appendingPathComponent("\(source.title)-gaps.otio")
            #expect(try timeline(f, [String(id), "--keep-gaps", "-o", gaps.path]).status == 0)
            let placed = try #require(try Self.read("otio", gaps, rate: source.rate).tracks.first { $0.kind == "Video" })
            #expect(placed.items.filter { $0.type == "clip" }.map(\.range_in_parent_start) == approved.map(\.start))
            #expect(placed.items.contains { $0.type == "gap" && $0.duration == clips[1].end - clips[1].start })
            // Every live clip, and media referenced under another root.
            let all = f.dir.appendingPathComponent("\(source.title)-all.otio")
            #expect(try timeline(f, [String(id), "--clips", "all", "--media", "original", "--media-root", "/mnt/media", "-o", all.path]).status == 0)
            let every = try #require(try Self.read("otio", all, rate: source.rate).tracks.first { $0.kind == "Video" }).items
            #expect(every.map(\.start) == clips.map { startFrame + $0.start })
            #expect(every.allSatisfy { ($0.target_url ?? "").contains("/mnt/media/sources/\(id)/original") }, "\(every.map(\.target_url))")
            // The CSV read back by PySceneDetect gives the same scenes (source frames).
            let csv = f.dir.appendingPathComponent("\(source.title).csv")
            #expect(try timeline(f, [String(id), "--format", "csv", "--clips", "all", "-o", csv.path]).status == 0)
            let scenes = try TimelineReaders.pySceneDetectScenes(video: f.dir.appendingPathComponent("\(source.title).mp4"), csv: csv)
            #expect(scenes.map(\.start) == clips.map(\.start) && scenes.map(\.end) == clips.map(\.end), "\(source.title): \(scenes)")
            // Exported media asked for before the export: refused, naming the clips.
            let early = try timeline(f, [String(id), "--media", "exported"])
            #expect(early.status != 0 && early.stderr.contains("not exported yet"), "\(early.output)")
        }

        // The same from the review station: the current clip's source (pal's skipped middle shot
        // is the first pending clip), written where the reviewer says.
        try await f.open("t", columns: 160, rows: 48)
        try f.tmux.waitFor("t", "the queue") { $0.contains("pending") && Tmux.selectedClip($0) != nil }
        let fromStation = f.dir.appendingPathComponent("station.otio")
        try f.tmux.type("t", ":timeline otio \(fromStation.path)")
        try f.tmux.keys("t", "Enter")
        try f.tmux.waitFor("t", "the timeline written") { $0.contains("wrote 2 clips to") }
        let stationRead = try Self.read("otio", fromStation, rate: Self.sources[0].rate)
        #expect(stationRead.tracks.first { $0.kind == "Video" }?.items.filter { $0.type == "clip" }.count == 2)
        try f.tmux.type("t", ":timeline notes.txt")
        try f.tmux.keys("t", "Enter")
        try f.tmux.waitFor("t", "the refusal") { $0.contains("say the format") }
        try f.tmux.keys("t", "q")
        #expect(f.tmux.waitForExit("t"))

        // A variable-rate original is refused as media; its gold master is fine.
        let phone: Int64 = try #require(try f.db.query("SELECT id FROM source_videos WHERE title = 'phone'").first).decode("id")
        let refused = try timeline(f, [String(phone), "--media", "original", "--clips", "all"])
        #expect(refused.status != 0 && refused.stderr.contains("variable frame rate"), "\(refused.output)")
        #expect(try timeline(f, [String(phone), "--clips", "all"]).status == 0)
        // Bad input: an unknown source, an unwritable path.
        let unknown = try timeline(f, ["9999"])
        #expect(unknown.status != 0 && unknown.stderr.contains("there is no source 9999"), "\(unknown.output)")
        let pal: Int64 = try #require(try f.db.query("SELECT id FROM source_videos WHERE title = 'pal'").first).decode("id")
        let nowhere = try timeline(f, [String(pal), "-o", "/nonexistent-folder/cut.otio"])
        #expect(nowhere.status != 0 && nowhere.stderr.contains("cannot write /nonexistent-folder/cut.otio"), "\(nowhere.output)")
    }

    /// A cut of 1000 clips is past the EDL's 999 events: refused on standard output, written as
    /// two EDLs with -o, each read back by the CMX 3600 reader. (Rows made by SQL: no video needed.)
    @Test func aCutPastTheEDLLimitIsSplitIntoFilesAndRefusedOnStandardOutput() async throws {
        let q = try await QueueFixture("timeline-edl")
        defer { q.cleanUp() }
        let source: Int64 = try q.db.query("""
            INSERT INTO source_videos (title, source_uri, state, frame_count, fps, frame_rate_numerator, frame_rate_denominator,
                                       gold_master_key, proxy_key, has_audio, variable_frame_rate)
            VALUES ('long', '/videos/long.mp4', 'scenes_detected', 30000, 30000.0 / 1001, 30000, 1001,
                    'sources/1/gold.mkv', 'sources/1/proxy.mp4', false, false) RETURNING id
            """).first!.decode("id")
        try q.db.execute("""
            INSERT INTO clips (source_video_id, start_frame, end_frame, start_seconds, end_seconds, state, reviewed_at, reviewed_by)
            SELECT $1, n * 30, n * 30 + 30, n * 30 * 1001 / 30000.0, (n * 30 + 30) * 1001 / 30000.0, 'review_approved', now(), 'alice'
            FROM generate_series(0, 999) n
            """, [source])
        let refused = try HeatersCLI.run(["timeline", String(source), "--format", "edl"], dataDirectory: q.dir)
        #expect(refused.status != 0 && refused.stderr.contains("1000 clips make 2 EDLs") && refused.stdout.isEmpty, "\(refused.output)")
        let out = q.dir.appendingPathComponent("long.edl")
        let written = try HeatersCLI.run(["timeline", String(source), "--format", "edl", "-o", out.path, "--json"], dataDirectory: q.dir)
        #expect(written.status == 0, "\(written.output)")
        let parts = ["long-part1.edl", "long-part2.edl"].map { q.dir.appendingPathComponent($0) }
        #expect(written.stdout.contains(parts[1].path) && written.stdout.contains("\"clips\" : 1000"), "\(written.stdout)")
        let rate = FrameRate(numerator: 30000, denominator: 1001)!
        let first = try #require(try Self.read("edl", parts[0], rate: rate).tracks.first { $0.kind == "Video" })
        let second = try #require(try Self.read("edl", parts[1], rate: rate).tracks.first { $0.kind == "Video" })
        let firstClips = first.items.filter { $0.type == "clip" }
        #expect(firstClips.count == 999 && firstClips.map(\.start) == (0..<999).map { $0 * 30 })
        #expect(second.items.filter { $0.type == "clip" }.map(\.start) == [999 * 30])
        #expect(try String(contentsOf: parts[1], encoding: .utf8).contains("(part 2 of 2)"))
    }
}
