@testable import Database
import Foundation
import Testing

/// The export and keyframe stages through the built binary: clips approved with `heaters clip
/// approve` (no undo window) are exported by headless workers from the gold master, recorded on
/// the clip in the transaction that marks it exported, then get their stills; a kill between
/// the stored file and that commit leaves one file after the restart; an unknown profile fails
/// the export, not the rest.
@Suite(.timeLimit(.minutes(6))) struct ExportStageTests {
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
        #expect(try workers(f) == 0)
        #expect(try f.state(of: clips[2].id) == "embedded")
        let files = try FileManager.default.contentsOfDirectory(atPath: storage.appendingPathComponent("clips/\(clips[2].id)").path)
        #expect(files.sorted() == ["default.mp4", "keyframes"], "one output, no orphan: \(files)")
        #expect(try f.count("SELECT count(*)::int AS n FROM jobs WHERE stage = 'export' AND subject_id = $1 AND state = 'completed'",
                            [clips[2].id]) == 1)

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
}
