/// Archiving a clip: the tombstone and the outbox of storage keys to delete
/// (`storage_deletions`, migration 11), in the order that loses nothing.
public enum ArchiveQueries {
    /// One storage object queued for deletion.
    public struct Deletion: Sendable, Equatable {
        public var id: Int64
        public var key: String
    }

    /// In one transaction: queues for deletion the clip's file, its keyframes and every
    /// `alsoKeys` (objects found under the clip's own prefix), deletes its keyframe and
    /// embedding rows, and leaves the row a tombstone (virtual, no file; how it was archived in
    /// its processing metadata). Only a live clip in `review_archived` is touched; nil when the
    /// clip is not (undone, or never archived). Returns every deletion still queued for the
    /// clip, those of an interrupted earlier run included. A second run queues nothing twice.
    public static func withdraw(_ db: PostgresConnection, clipID: Int64, alsoKeys: [String]) throws -> [Deletion]? {
        try db.transaction { tx in
            guard try tx.query("""
                SELECT 1 AS one FROM clips WHERE id = $1 AND state = 'review_archived' AND retired_at IS NULL FOR UPDATE
                """, [clipID]).first != nil else { return nil }
            try tx.execute("""
                INSERT INTO storage_deletions (clip_id, storage_key)
                SELECT $1, key FROM (
                    SELECT clip_key AS key FROM clips WHERE id = $1 AND clip_key IS NOT NULL
                    UNION SELECT storage_key FROM clip_artifacts WHERE clip_id = $1
                    UNION SELECT unnest($2::text[])
                ) AS keys
                ON CONFLICT (storage_key) DO NOTHING
                """, [clipID, TextArray(alsoKeys)])
            let artifacts = try tx.execute("DELETE FROM clip_artifacts WHERE clip_id = $1", [clipID])
            let embeddings = try tx.execute("DELETE FROM embeddings WHERE clip_id = $1", [clipID])
            // Once: a retry after a crash finds the row a tombstone already and leaves it as it is.
            try tx.execute("""
                UPDATE clips SET is_virtual = true, clip_key = NULL,
                    processing_metadata = processing_metadata || jsonb_build_object('archive', jsonb_build_object(
                        'withdrawn_at', now(), 'file', clip_key, 'keyframes', $2::int, 'embeddings', $3::int))
                WHERE id = $1 AND NOT processing_metadata ? 'archive'
                """, [clipID, artifacts, embeddings])
            return try pending(tx, clipID: clipID)
        }
    }

    /// The deletions still queued for the clip, oldest first.
    public static func pending(_ db: PostgresConnection, clipID: Int64) throws -> [Deletion] {
        try db.query("SELECT id, storage_key FROM storage_deletions WHERE clip_id = $1 ORDER BY id", [clipID]).map {
            Deletion(id: try $0.decode("id"), key: try $0.decode("storage_key"))
        }
    }

    /// The object of `deletion` is gone: its outbox row goes too.
    public static func done(_ db: PostgresConnection, _ deletion: Deletion) throws {
        try db.execute("DELETE FROM storage_deletions WHERE id = $1", [deletion.id])
    }
}
