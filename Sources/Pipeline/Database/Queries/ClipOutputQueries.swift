import Foundation

/// What the stages after review read and write: a clip with its source's gold master, the
/// exported file recorded on the clip, its keyframes in `clip_artifacts`.
public enum ClipOutputQueries {
    /// A clip as export and keyframing need it.
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

    /// One keyframe still as stored.
    public struct Keyframe: Sendable, Equatable {
        public var strategy: String
        public var tag: String
        public var key: String
        /// What the row's metadata records (a JSON object: frame, size).
        public var metadata: String

        public init(strategy: String, tag: String, key: String, metadata: String) {
            self.strategy = strategy
            self.tag = tag
            self.key = key
            self.metadata = metadata
        }
    }

    /// Records the clip's keyframes, replacing those of a run before (one row per strategy and
    /// tag, so a rerun creates nothing twice). Inside the job's completing transaction.
    public static func recordKeyframes(_ tx: PostgresConnection, clipID: Int64, keyframes: [Keyframe]) throws {
        guard try tx.query("SELECT 1 AS one FROM clips WHERE id = $1 AND state = 'keyframing' AND retired_at IS NULL FOR UPDATE",
                           [clipID]).first != nil else {
            throw DatabaseError(.query, "clip \(clipID) is no longer being keyframed; its stills were not recorded")
        }
        for keyframe in keyframes {
            try tx.execute("""
                INSERT INTO clip_artifacts (clip_id, artifact_type, strategy, position, storage_key, metadata)
                VALUES ($1, 'keyframe', $2, $3, $4, $5::jsonb)
                ON CONFLICT (clip_id, artifact_type, strategy, position)
                DO UPDATE SET storage_key = EXCLUDED.storage_key, metadata = EXCLUDED.metadata, created_at = now()
                """, [clipID, keyframe.strategy, keyframe.tag, keyframe.key, keyframe.metadata])
        }
    }

    /// The clip's artifacts: (type, strategy, position, storage key), for `clip show`.
    public static func artifacts(_ db: PostgresConnection, clipID: Int64) throws -> [(type: String, strategy: String, position: String, key: String)] {
        try db.query("""
            SELECT artifact_type, strategy, position, storage_key FROM clip_artifacts
            WHERE clip_id = $1 ORDER BY artifact_type, strategy, position
            """, [clipID]).map {
            (try $0.decode("artifact_type"), try $0.decode("strategy"), try $0.decode("position"), try $0.decode("storage_key"))
        }
    }
}
