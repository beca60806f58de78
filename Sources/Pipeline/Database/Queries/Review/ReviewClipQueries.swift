import Domain
import Foundation

/// The clip rows a review decision reads and writes. Every write is one statement per clip
/// (so one version step), checked against the version the rules saw.
public enum ReviewClipQueries {
    static let columns = """
        c.id, c.source_video_id, c.start_frame, c.end_frame, c.state, to_jsonb(c.tags)::text AS tags,
        c.grouped_with_clip_id, c.version, c.retired_at IS NOT NULL AS retired, h.action_id AS held_by
        """

    /// The clips `ids` and the live clips right before and after each, locked for the
    /// transaction in id order (two decisions on overlapping clips never deadlock).
    public static func neighbourhood(_ tx: PostgresConnection, of ids: [Int64]) throws -> [ReviewClip] {
        try tx.query("""
            WITH named AS (SELECT id, source_video_id, start_frame, end_frame FROM clips WHERE id = ANY($1::bigint[]))
            SELECT \(columns) FROM clips c LEFT JOIN review_holds h ON h.clip_id = c.id
            WHERE c.id IN (
                SELECT id FROM named
                UNION SELECT a.id FROM clips a JOIN named n ON a.source_video_id = n.source_video_id
                      AND a.start_frame = n.end_frame AND a.retired_at IS NULL
                UNION SELECT b.id FROM clips b JOIN named n ON b.source_video_id = n.source_video_id
                      AND b.end_frame = n.start_frame AND b.retired_at IS NULL)
            ORDER BY c.id
            FOR UPDATE OF c
            """, [TextArray(ids)]).map(clip)
    }

    /// The clips `ids`, live or retired, locked for the transaction in id order.
    public static func locked(_ tx: PostgresConnection, ids: [Int64]) throws -> [ReviewClip] {
        try tx.query("""
            SELECT \(columns) FROM clips c LEFT JOIN review_holds h ON h.clip_id = c.id
            WHERE c.id = ANY($1::bigint[]) ORDER BY c.id FOR UPDATE OF c
            """, [TextArray(ids)]).map(clip)
    }

    /// The live clips that replaced a retired one (through merges and splits since).
    public static func replacements(_ db: PostgresConnection, of id: Int64) throws -> [Int64] {
        try db.query("""
            WITH RECURSIVE line(id) AS (
                SELECT child_clip_id FROM clip_lineage WHERE parent_clip_id = $1 AND undone_at IS NULL
                UNION
                SELECT l.child_clip_id FROM clip_lineage l JOIN line ON l.parent_clip_id = line.id WHERE l.undone_at IS NULL
            )
            SELECT c.id FROM clips c JOIN line ON line.id = c.id WHERE c.retired_at IS NULL ORDER BY c.start_frame
            """, [id]).map { try $0.decode("id") }
    }

    /// The frame rate of a clip's source, for the seconds of new clips.
    public static func framesPerSecond(_ db: PostgresConnection, sourceID: Int64) throws -> Double {
        try db.query("SELECT coalesce(fps, 25) AS fps FROM source_videos WHERE id = $1", [sourceID]).first?.decode("fps") ?? 25
    }

    /// Writes a decision's new fields; `settleSeconds` starts the clip's undo window (nil:
    /// none, as after an undo). Returns the new version; nil when the clip is not at
    /// `version` (changed since the rules looked).
    public static func update(_ tx: PostgresConnection, clip: Int64, to fields: ClipFields, version: Int, reviewer: String,
                              settleSeconds: Double?) throws -> Int? {
        try tx.query("""
            UPDATE clips SET state = $2, tags = $3::text[], grouped_with_clip_id = $4, reviewed_at = now(), reviewed_by = $5,
                   settles_at = CASE WHEN $6::float8 IS NULL THEN NULL ELSE now() + make_interval(secs => $6::float8) END
            WHERE id = $1 AND version = $7 RETURNING version
            """, [clip, fields.state.rawValue, TextArray(fields.tags), fields.groupedWith, reviewer, settleSeconds, version])
            .first?.decode("version")
    }

    /// Retires a live clip (`merge`, `split`, or `undo` of either); returns the new version.
    public static func retire(_ tx: PostgresConnection, clip: Int64, reason: String) throws -> Int? {
        try tx.query("""
            UPDATE clips SET retired_at = now(), retired_by = $2, settles_at = NULL
            WHERE id = $1 AND retired_at IS NULL RETURNING version
            """, [clip, reason]).first?.decode("version")
    }

    /// Brings a retired clip back (the undo of the merge or split that retired it).
    public static func revive(_ tx: PostgresConnection, clip: Int64) throws -> Int? {
        try tx.query("""
            UPDATE clips SET retired_at = NULL, retired_by = NULL WHERE id = $1 AND retired_at IS NOT NULL RETURNING version
            """, [clip]).first?.decode("version")
    }

    /// Inserts a new virtual clip in `pending_review`; returns its id.
    public static func create(_ tx: PostgresConnection, sourceID: Int64, draft: ClipDraft, framesPerSecond fps: Double) throws -> Int64 {
        try tx.query("""
            INSERT INTO clips (source_video_id, start_frame, end_frame, start_seconds, end_seconds, tags)
            VALUES ($1, $2, $3, $4, $5, $6::text[]) RETURNING id
            """, [sourceID, draft.startFrame, draft.endFrame, ClipDraft.seconds(draft.startFrame, framesPerSecond: fps),
                  ClipDraft.seconds(draft.endFrame, framesPerSecond: fps), TextArray(draft.tags)]).first!.decode("id")
    }

    /// Records where new clips came from.
    public static func recordLineage(_ tx: PostgresConnection, parents: [Int64], children: [Int64], operation: String,
                                     action: Int64) throws {
        try tx.execute("""
            INSERT INTO clip_lineage (parent_clip_id, child_clip_id, operation, action_id)
            SELECT p, c, $3, $4 FROM unnest($1::bigint[]) p CROSS JOIN unnest($2::bigint[]) c
            """, [TextArray(parents), TextArray(children), operation, action])
    }

    /// Marks the lineage an undone merge or split recorded.
    public static func undoLineage(_ tx: PostgresConnection, action: Int64) throws {
        try tx.execute("UPDATE clip_lineage SET undone_at = now() WHERE action_id = $1 AND undone_at IS NULL", [action])
    }

    static func clip(_ row: PostgresRow) throws -> ReviewClip {
        let state: String = try row.decode("state")
        guard let clipState = ClipState(rawValue: state) else { throw DatabaseError(.decoding, "unknown clip state \(state)") }
        let tags = try JSONText(postgresText: try row.decode("tags")).decode([String].self)
        return ReviewClip(id: try row.decode("id"), sourceID: try row.decode("source_video_id"),
                          startFrame: try row.decode("start_frame"), endFrame: try row.decode("end_frame"),
                          fields: ClipFields(state: clipState, tags: tags, groupedWith: try row.decodeIfPresent("grouped_with_clip_id")),
                          version: try row.decode("version"), isRetired: try row.decode("retired"),
                          heldBy: try row.decodeIfPresent("held_by"))
    }
}
