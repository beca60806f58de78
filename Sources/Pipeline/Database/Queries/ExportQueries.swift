import Foundation

/// What the export stage reads and writes: a clip with its source's gold master, and the
/// exported file recorded on the clip.
public enum ExportQueries {
    /// A clip as export needs it.
    public struct Target: Sendable, Equatable {
        public var clipID: Int64
        public var sourceID: Int64
        public var startFrame: Int
        public var endFrame: Int
        /// The source's gold master; nil when it has none (not preprocessed, or removed).
        public var goldMasterKey: String?
        public var fps: Double?
    }

    public static func target(_ db: PostgresConnection, clipID: Int64) throws -> Target? {
        guard let row = try db.query("""
            SELECT c.id, c.source_video_id, c.start_frame, c.end_frame, s.gold_master_key, s.fps
            FROM clips c JOIN source_videos s ON s.id = c.source_video_id
            WHERE c.id = $1 AND c.retired_at IS NULL
            """, [clipID]).first else { return nil }
        return Target(clipID: try row.decode("id"), sourceID: try row.decode("source_video_id"),
                      startFrame: try row.decode("start_frame"), endFrame: try row.decode("end_frame"),
                      goldMasterKey: try row.decodeIfPresent("gold_master_key"), fps: try row.decodeIfPresent("fps"))
    }

    /// Makes the clip physical: its file's key and how it was made (`export`, a JSON object)
    /// in its processing metadata. Run inside the job's completing transaction, with the
    /// clip's move to `exported`; only a clip being exported is touched.
    public static func recordExport(_ tx: PostgresConnection, clipID: Int64, key: String, export: String) throws {
        let updated = try tx.execute("""
            UPDATE clips SET is_virtual = false, clip_key = $2,
                processing_metadata = processing_metadata || jsonb_build_object('export', $3::jsonb)
            WHERE id = $1 AND state = 'exporting' AND retired_at IS NULL
            """, [clipID, key, export])
        guard updated == 1 else { throw DatabaseError(.query, "clip \(clipID) is no longer being exported; its file was not recorded") }
    }
}
