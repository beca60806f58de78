@testable import Database
import Domain
import Foundation
import Testing

/// The export and keyframe stages through the built binary: clips approved with `heaters clip
/// approve` (no undo window) are exported by headless workers from the gold master, recorded on
/// the clip in the transaction that marks it exported, then get their stills; a kill between
/// the stored file (or stills) and that commit leaves one output after the restart (the embed
/// stage writes nothing but in its commit); an unknown profile fails
/// the export, not the rest.
@Suite(.timeLimit(.minutes(12))) struct ExportStageTests {
    static func frames(of file: URL) throws -> Int {
        let probe = try HeatersCLI.runProgram(URL(fileURLWithPath: "/usr/bin/ffprobe"), [
            "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames",
            "-of", "csv=p=0", file.path])
        return Int(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    func approve(_ f: StationFixture, _ clip: Int64) throws {
        let outcome = try HeatersCLI.run(["clip", "approve", String(clip), "--reviewer", "alice"], dataDirectory: f.dir,
                                         extra: ["HEATERS_UNDO_SECONDS": "0"])
        #expect(outcome.status == 0, "\(outcome.output)")
    }

    func workers(_ f: StationFixture, extra: [String: String] = [:]) throws -> Int32 {
        try HeatersCLI.run(["--headless", "--until-idle", "--queues", "io=1,media=2,review=1,default=0", "--lease-seconds", "3"],
                           dataDirectory: f.dir, extra: extra).status
    }

    @Test func approvedClipsBecomeFilesFrameExactAndACrashLeavesOneFile() async throws {
        let f = try await StationFixture("export")
        defer { f.cleanUp() }
        let clips = try f.clips()
        #expect(clips.count == 4)
        try approve(f, clips[0].id)
        try approve(f, clips[1].id)
        #expect(try workers(f) == 0)
        let storage = f.dir.appendingPathComponent("storage")
        for clip in clips.prefix(2) {
            let row = try #require(try f.db.query(
                "SELECT state, is_virtual, clip_key, processing_metadata->'export'->>'frames' AS frames FROM clips WHERE id = $1",
                [clip.id]).first)
            #expect(try row.decode("state", as: String.self) == "embedded", "exported, keyframed, then embedded")
            #expect(try row.decode("is_virtual", as: Bool.self) == false)
            let key: String = try row.decode("clip_key")
            #expect(key == "clips/\(clip.id)/default.mp4")
            #expect(try row.decode("frames", as: String.self) == "50")
            #expect(try Self.frames(of: storage.appendingPathComponent(key)) == clip.end - clip.start, "every frame of the clip")
            // The multi strategy's stills at 25, 50 and 75 % of the clip, stored and recorded.
            let stills = try f.db.query("""
                SELECT position, storage_key, (metadata->>'frame')::int AS frame FROM clip_artifacts
                WHERE clip_id = $1 AND artifact_type = 'keyframe' AND strategy = 'multi' ORDER BY position
                """, [clip.id])
            #expect(try stills.map { try $0.decode("position", as: String.self) } == ["25pct", "50pct", "75pct"])
            #expect(try stills.map { try $0.decode("frame", as: Int.self) } == [clip.start + 12, clip.start + 25, clip.start + 37])
            for still in stills {
                let data = try Data(contentsOf: storage.appendingPathComponent(try still.decode("storage_key", as: String.self)))
                #expect(data.prefix(2) == Data([0xFF, 0xD8]), "a JPEG")
            }
        }
        #expect(try f.state(of: clips[2].id) == "pending_review", "nothing of an undecided clip is touched")
        // Each embedded clip has one built-in descriptor vector; heaters similar finds the other.
        #expect(try f.count("SELECT count(*)::int AS n FROM embeddings WHERE model_name = 'heaters-descriptor-v1'") == 2)
        let similar = try HeatersCLI.run(["similar", String(clips[0].id), "--json"], dataDirectory: f.dir)
        #expect(similar.status == 0, "\(similar.output)")
        #expect(similar.stdout.contains("\"clipID\" : \(clips[1].id)") || similar.stdout.contains("\"clipID\":\(clips[1].id)"),
                "\(similar.stdout)")
        let notYet = try HeatersCLI.run(["similar", String(clips[2].id)], dataDirectory: f.dir)
        #expect(notYet.status != 0 && notYet.stderr.contains("has no heaters-descriptor-v1 embedding yet"), "\(notYet.output)")

        // Killed after the file is stored, before the commit: the restarted worker exports it again
        // to the same key, so one file, and the clip is exported once.
        try approve(f, clips[2].id)
        _ = try workers(f, extra: ["HEATERS_FAILPOINT": "export-stored"])
        #expect(try f.state(of: clips[2].id) == "exporting")
        #expect(FileManager.default.fileExists(atPath: storage.appendingPathComponent("clips/\(clips[2].id)/default.mp4").path))
        // The restarted worker exports it, then is killed after storing the stills, before the
        // commit that records them: the stills are there, unrecorded, and the clip is keyframing.
        _ = try workers(f, extra: ["HEATERS_FAILPOINT": "keyframes-stored"])
        #expect(try f.state(of: clips[2].id) == "keyframing")
        let stillsFolder = storage.appendingPathComponent("clips/\(clips[2].id)/keyframes")
        #expect(Self.objects(under: stillsFolder) == ["multi-25pct.jpg", "multi-50pct.jpg", "multi-75pct.jpg"])
        #expect(try f.count("SELECT count(*)::int AS n FROM clip_artifacts WHERE clip_id = $1", [clips[2].id]) == 0)
        #expect(try workers(f) == 0)
        #expect(Self.objects(under: stillsFolder) == ["multi-25pct.jpg", "multi-50pct.jpg", "multi-75pct.jpg"],
                "the retry replaced the same three objects")
        #expect(try f.count("SELECT count(*)::int AS n FROM clip_artifacts WHERE clip_id = $1", [clips[2].id]) == 3)
        #expect(try f.count("SELECT count(*)::int AS n FROM embeddings WHERE clip_id = $1", [clips[2].id]) == 1)
        #expect(try f.state(of: clips[2].id) == "embedded")
        let files = try FileManager.default.contentsOfDirectory(atPath: storage.appendingPathComponent("clips/\(clips[2].id)").path)
        #expect(files.sorted() == ["default.mp4", "keyframes"], "one output, no orphan: \(files)")
        #expect(try f.count("SELECT count(*)::int AS n FROM jobs WHERE stage = 'export' AND subject_id = $1 AND state = 'completed'",
                            [clips[2].id]) == 1)

        // The exported files as an editor's timeline: each clip its own file from its first frame.
        let source: Int64 = try #require(try f.db.query("SELECT source_video_id FROM clips WHERE id = $1", [clips[0].id]).first)
            .decode("source_video_id")
        let reel = f.dir.appendingPathComponent("exported.otio")
        let timeline = try HeatersCLI.run(["timeline", String(source), "--media", "exported", "-o", reel.path], dataDirectory: f.dir)
        #expect(timeline.status == 0, "\(timeline.output)")
        let read = try TimelineTests.read("otio", reel, rate: FrameRate(numerator: 25, denominator: 1)!)
        let items = try #require(read.tracks.first { $0.kind == "Video" }).items
        #expect(items.map(\.start) == [0, 0, 0] && items.map(\.duration) == clips.prefix(3).map { $0.end - $0.start })
        #expect(items.map(\.target_url) == clips.prefix(3).map {
            "file://" + storage.appendingPathComponent("clips/\($0.id)/default.mp4").standardizedFileURL.path
        })

        // A profile that does not exist: that clip's export fails with the reason; nothing else changes.
        try approve(f, clips[3].id)
        #expect(try workers(f, extra: ["HEATERS_EXPORT_PROFILE": "cinema"]) == 0)
        let failed = try #require(try f.db.query("SELECT state, error_message FROM clips WHERE id = $1", [clips[3].id]).first)
        #expect(try failed.decode("state", as: String.self) == "export_failed")
        #expect(try failed.decode("error_message", as: String.self).contains("export profile \"cinema\" does not exist"))
        #expect(try f.state(of: clips[0].id) == "embedded")
        #expect(try f.count("SELECT count(*)::int AS n FROM clip_artifacts WHERE clip_id = $1", [clips[0].id]) == 3,
                "a rerun of the pipeline recorded no still twice")
    }

    /// Every stored object under a clip's prefix (files only; folders may stay).
    static func objects(under folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        return walker.compactMap { ($0 as? URL).flatMap { (try? $0.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true ? $0.lastPathComponent : nil } }.sorted()
    }

    @Test func archiveWithdrawsAnExportedClipAndACrashBeforeTheDeletesIsFinishedByTheRetry() async throws {
        let f = try await StationFixture("archive")
        defer { f.cleanUp() }
        let clips = try f.clips()
        for clip in clips.prefix(3) { try approve(f, clip.id) }
        #expect(try workers(f) == 0)
        let storage = f.dir.appendingPathComponent("storage")
        for clip in clips.prefix(3) {
            #expect(try f.state(of: clip.id) == "embedded")
            #expect(Self.objects(under: storage.appendingPathComponent("clips/\(clip.id)")).count == 4, "the file and three stills")
        }
        // An orphan under the clip's prefix (a keyframe strategy used once, no row names it) goes too.
        try Data([0xFF, 0xD8, 0xFF]).write(to: storage.appendingPathComponent("clips/\(clips[0].id)/keyframes/old-mid.jpg"))
        let archive = { (clip: Int64) throws in
            let outcome = try HeatersCLI.run(["clip", "archive", String(clip), "--reviewer", "alice"], dataDirectory: f.dir,
                                             extra: ["HEATERS_UNDO_SECONDS": "0"])
            #expect(outcome.status == 0, "\(outcome.output)")
        }
        try archive(clips[0].id)
        #expect(try workers(f) == 0)
        let tombstone = try #require(try f.db.query("""
            SELECT state, is_virtual, clip_key, processing_metadata->'archive'->>'file' AS file FROM clips WHERE id = $1
            """, [clips[0].id]).first)
        #expect(try tombstone.decode("state", as: String.self) == "archived")
        #expect(try tombstone.decode("is_virtual", as: Bool.self) == true)
        #expect(try tombstone.decodeIfPresent("clip_key", as: String.self) == nil)
        #expect(try tombstone.decode("file", as: String.self) == "clips/\(clips[0].id)/default.mp4", "the tombstone says what it had")
        #expect(Self.objects(under: storage.appendingPathComponent("clips/\(clips[0].id)")).isEmpty, "file, stills and orphan gone")
        #expect(try f.count("SELECT count(*)::int AS n FROM clip_artifacts WHERE clip_id = $1", [clips[0].id]) == 0)
        #expect(try f.count("SELECT count(*)::int AS n FROM embeddings WHERE clip_id = $1", [clips[0].id]) == 0)
        #expect(try f.count("SELECT count(*)::int AS n FROM review_actions WHERE clip_id = $1", [clips[0].id]) == 2,
                "the review log of the clip is kept")
        #expect(try f.count("SELECT count(*)::int AS n FROM storage_deletions") == 0)
        // The other clips are untouched, and similarity no longer lists the archived one.
        for clip in clips[1...2] {
            #expect(try f.state(of: clip.id) == "embedded")
            #expect(Self.objects(under: storage.appendingPathComponent("clips/\(clip.id)")).count == 4)
        }
        let similar = try HeatersCLI.run(["similar", String(clips[1].id), "--json"], dataDirectory: f.dir)
        #expect(similar.status == 0 && !similar.stdout.contains("\(clips[0].id),") && similar.stdout.contains("\(clips[2].id)"),
                "\(similar.output)")
        let again = try HeatersCLI.run(["clip", "archive", String(clips[0].id)], dataDirectory: f.dir)
        #expect(again.status != 0 && again.stderr.contains("is archived"), "\(again.output)")

        // Killed between the database's commit and the storage deletes: the rows are gone, the
        // outbox holds the keys, the objects are still there; the retry deletes them.
        try archive(clips[1].id)
        _ = try workers(f, extra: ["HEATERS_FAILPOINT": "archive-committed"])
        #expect(try f.state(of: clips[1].id) == "review_archived")
        #expect(try f.count("SELECT count(*)::int AS n FROM storage_deletions WHERE clip_id = $1", [clips[1].id]) == 4)
        #expect(try f.count("SELECT count(*)::int AS n FROM clip_artifacts WHERE clip_id = $1", [clips[1].id]) == 0)
        #expect(Self.objects(under: storage.appendingPathComponent("clips/\(clips[1].id)")).count == 4)
        let undo = try HeatersCLI.run(["clip", "undo", "--reviewer", "alice"], dataDirectory: f.dir)
        #expect(undo.status != 0 && undo.stderr.contains("changed since"), "files half gone: the archive cannot be undone: \(undo.output)")
        #expect(try workers(f) == 0)
        #expect(try f.state(of: clips[1].id) == "archived")
        #expect(Self.objects(under: storage.appendingPathComponent("clips/\(clips[1].id)")).isEmpty)
        #expect(try f.count("SELECT count(*)::int AS n FROM storage_deletions") == 0)
        #expect(try f.state(of: clips[2].id) == "embedded")
        #expect(Self.objects(under: storage.appendingPathComponent("clips/\(clips[2].id)")).count == 4, "nothing of a live clip touched")

        // The database refuses to queue a key of a clip that is not archived.
        #expect(throws: (any Error).self) {
            try f.db.execute("INSERT INTO storage_deletions (clip_id, storage_key) VALUES ($1, 'clips/x')", [clips[2].id])
        }
    }

    /// End to end on a source with a repeated shot: approved with heaters clip, exported, given
    /// stills and vectors by the workers, and heaters similar ranks the near-duplicate first.
    @Test func similarListsTheRepeatedShotFirst() async throws {
        let f = try await StationFixture("near-duplicate", video: { try SceneFixtures.repeatedShot(at: $0) })
        defer { f.cleanUp() }
        let clips = try f.clips().map(\.id)
        #expect(try f.clips().map(\.start) == [0, 50, 100, 150], "the three cuts are found")
        for clip in [clips[0], clips[2], clips[3]] { try approve(f, clip) }
        let grouped = try HeatersCLI.run(["clip", "group", String(clips[1]), "--with", String(clips[0]), "--reviewer", "alice"],
                                         dataDirectory: f.dir, extra: ["HEATERS_UNDO_SECONDS": "0"])
        #expect(grouped.status == 0, "\(grouped.output)")
        #expect(try workers(f) == 0)
        for clip in clips { #expect(try f.state(of: clip) == "embedded") }
        // A grouped clip keeps its group; clip show lists the members with their files.
        let shown = try HeatersCLI.run(["clip", "show", String(clips[1])], dataDirectory: f.dir)
        let storage = f.dir.appendingPathComponent("storage").path
        #expect(shown.stdout.contains("group: clips \(clips[0])"), "\(shown.output)")
        #expect(shown.stdout.contains("  clip \(clips[0]) · embedded · file: \(storage)/clips/\(clips[0])/default.mp4"), "\(shown.output)")
        #expect(shown.stdout.contains("file: \(storage)/clips/\(clips[1])/default.mp4"))
        #expect(shown.stdout.contains("keyframe multi 50pct: clips/\(clips[1])/keyframes/multi-50pct.jpg"))
        #expect(shown.stdout.contains("embeddings: heaters-descriptor-v1"))
        for (clip, duplicate) in [(clips[0], clips[3]), (clips[3], clips[0])] {
            let similar = try HeatersCLI.run(["similar", String(clip), "--json"], dataDirectory: f.dir)
            #expect(similar.status == 0, "\(similar.output)")
            struct Neighbour: Decodable { var clipID: Int64; var distance: Double }
            let neighbours = try JSONDecoder().decode([Neighbour].self, from: Data(similar.stdout.utf8))
            #expect(neighbours.map(\.clipID).first == duplicate, "\(similar.stdout)")
            #expect(neighbours.count == 3 && neighbours[0].distance < neighbours[1].distance)
        }
    }
}
