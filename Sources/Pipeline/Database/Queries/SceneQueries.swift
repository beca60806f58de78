import Domain
import Foundation

/// What the detect-scenes stage reads and writes: a source's proxy, and its virtual clips.
public enum SceneQueries {
    /// A preprocessed source as scene detection needs it.
    public struct Proxy: Sendable {
        public var key: String
        public var frameCount: Int
        public var fps: Double
    }

    public static func proxy(_ db: PostgresConnection, sourceID: Int64) throws -> Proxy? {
        guard let row = try db.query("SELECT proxy_key, frame_count, fps FROM source_videos WHERE id = $1", [sourceID]).first,
              let key: String = try row.decodeIfPresent("proxy_key"), let frames: Int = try row.decodeIfPresent("frame_count"),
              let fps: Double = try row.decodeIfPresent("fps") else { return nil }
        return Proxy(key: key, frameCount: frames, fps: fps)
    }

    /// What `record` did.
    public struct Recorded: Sendable, Equatable {
        /// Clips this call created (0 when an earlier run had created them already).
        public var created: Int
        /// The source's clips after the call.
        public var total: Int
    }

    /// In one transaction: creates one virtual clip in `pending_review` per scene, and
    /// records how they were found (`summary`, a JSON object) on the source. A source that
    /// already has clips keeps them and gets none (a rerun after a crash between this
    /// commit and the job's completion creates nothing twice).
    public static func record(_ db: PostgresConnection, sourceID: Int64, scenes: [Scene], summary: JSONText) throws -> Recorded {
        try db.transaction { tx in
            // The row lock serialises two runs that would otherwise both see no clips.
            _ = try tx.query("SELECT id FROM source_videos WHERE id = $1 FOR UPDATE", [sourceID])
            let existing: Int = try tx.query("SELECT count(*)::int AS n FROM clips WHERE source_video_id = $1", [sourceID])
                .first!.decode("n")
            guard existing == 0 else { return Recorded(created: 0, total: existing) }
            let rows = try JSONText(encoding: scenes.map {
                ["start_frame": Double($0.startFrame), "end_frame": Double($0.endFrame),
                 "start_seconds": $0.startSeconds, "end_seconds": $0.endSeconds]
            })
            let created = try tx.execute("""
                INSERT INTO clips (source_video_id, start_frame, end_frame, start_seconds, end_seconds)
                SELECT $1, s.start_frame, s.end_frame, s.start_seconds, s.end_seconds
                FROM jsonb_to_recordset($2::jsonb) AS s(start_frame int, end_frame int, start_seconds float8, end_seconds float8)
                ORDER BY s.start_frame
                """, [sourceID, rows])
            try tx.execute("UPDATE source_videos SET scene_detection = $2::jsonb WHERE id = $1", [sourceID, summary])
            return Recorded(created: created, total: created)
        }
    }
}
