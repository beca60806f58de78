@testable import Database
import Foundation

/// A fresh database on the shared test cluster with one source cut into clips, and the
/// built `heaters` pointed at it (DATABASE_URL) with a short undo window.
struct ReviewFixture {
    let conninfo: String
    let db: PostgresConnection
    let dir: URL
    let source: Int64
    /// The clips at the start, in frame order.
    let clips: [Int64]
    let frameCount: Int

    /// A source of `frameCount` frames at 25 fps cut at `boundaries`.
    init(frameCount: Int = 300, boundaries: [Int] = [100, 200]) async throws {
        conninfo = try await TestDatabase.fresh()
        db = try PostgresConnection(conninfo: conninfo)
        dir = try ProjectPaths.freshDirectory("review")
        self.frameCount = frameCount
        let db = self.db
        let source = try Rows.source(db, frameCount: frameCount)
        // Clips exist once scenes are detected; a source left `new` would get a download job.
        try db.execute("""
            UPDATE source_videos SET state = 'scenes_detected', proxy_key = 'sources/1/proxy.mp4',
                   gold_master_key = 'sources/1/gold.mkv' WHERE id = $1
            """, [source])
        self.source = source
        let cuts = [0] + boundaries + [frameCount]
        clips = try zip(cuts, cuts.dropFirst()).map { try Rows.clip(db, source: source, frames: $0..<$1) }
    }

    /// `heaters ARGS` as reviewer `reviewer`, with an undo window of `window` seconds.
    func cli(_ arguments: [String], window: Double = 60, reviewer: String = "alice",
             extra: [String: String] = [:]) throws -> HeatersCLI.Outcome {
        try HeatersCLI.run(arguments + (needsReviewer(arguments) ? ["--reviewer", reviewer] : []), dataDirectory: dir,
                           extra: environment(window: window).merging(extra) { $1 })
    }

    /// A headless worker on the review queue only, until nothing is left to land.
    func landAll(extra: [String: String] = [:]) throws -> HeatersCLI.Outcome {
        try HeatersCLI.run(["--headless", "--until-idle", "--queues", "review=1,media=0,io=0,default=0"], dataDirectory: dir,
                           extra: environment(window: 60).merging(extra) { $1 })
    }

    func environment(window: Double) -> [String: String] {
        ["DATABASE_URL": conninfo, "HEATERS_UNDO_SECONDS": String(window), "USER": "alice"]
    }

    private func needsReviewer(_ arguments: [String]) -> Bool {
        guard arguments.first == "clip", let verb = arguments.dropFirst().first else { return false }
        return !["list", "show", "log", "release"].contains(verb)
    }

    /// The live clips of the source as (start, end, state), in frame order.
    func live() throws -> [Span] {
        try db.query("""
            SELECT id, start_frame, end_frame, state FROM clips WHERE source_video_id = $1 AND retired_at IS NULL
            ORDER BY start_frame
            """, [source]).map {
            Span(id: try $0.decode("id"), start: try $0.decode("start_frame"), end: try $0.decode("end_frame"),
                 state: try $0.decode("state"))
        }
    }

    struct Span: Equatable, CustomStringConvertible {
        var id: Int64
        var start: Int
        var end: Int
        var state: String
        var description: String { "\(id)[\(start),\(end)) \(state)" }
    }

    /// Everything a decision may change, as text: clips (all, with version and retirement),
    /// holds, lineage, and the live jobs — to compare "as before".
    func snapshot() throws -> [String] {
        let clips = try db.query("""
            SELECT id, start_frame, end_frame, state, tags::text AS tags, grouped_with_clip_id, retired_by FROM clips ORDER BY id
            """).map { row in
            "clip \(try row.decode("id", as: Int64.self)) [\(try row.decode("start_frame", as: Int.self)), "
                + "\(try row.decode("end_frame", as: Int.self))) \(try row.decode("state", as: String.self)) "
                + "\(try row.decode("tags", as: String.self)) \(try row.decodeIfPresent("grouped_with_clip_id", as: Int64.self) ?? 0) "
                + (try row.decodeIfPresent("retired_by", as: String.self) ?? "live")
        }
        let holds = try db.query("SELECT clip_id FROM review_holds ORDER BY clip_id").map { "hold \(try $0.decode("clip_id", as: Int64.self))" }
        let lineage = try db.query("SELECT parent_clip_id, child_clip_id FROM clip_lineage WHERE undone_at IS NULL ORDER BY 1, 2").map {
            "lineage \(try $0.decode("parent_clip_id", as: Int64.self))→\(try $0.decode("child_clip_id", as: Int64.self))"
        }
        let jobs = try db.query("""
            SELECT stage, subject_id FROM jobs WHERE state IN ('scheduled', 'available', 'running', 'retryable') ORDER BY id
            """).map { "job \(try $0.decode("stage", as: String.self)) \(try $0.decode("subject_id", as: Int64.self))" }
        return clips + holds + lineage + jobs
    }

    func count(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws -> Int {
        try db.query(sql, parameters).first!.decode("n")
    }

    func cleanUp() { try? FileManager.default.removeItem(at: dir) }
}
