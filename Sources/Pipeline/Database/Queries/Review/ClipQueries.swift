import Domain
import Foundation

/// Clips as `heaters clip list` and `heaters clip show` report them.
public enum ClipQueries {
    /// One clip with its source and review facts.
    public struct Listed: Sendable, Equatable, Encodable {
        public var id: Int64
        public var sourceID: Int64
        public var sourceTitle: String
        public var startFrame: Int
        public var endFrame: Int
        public var startSeconds: Double
        public var endSeconds: Double
        public var state: String
        public var tags: [String]
        public var groupedWith: Int64?
        public var version: Int
        public var retiredBy: String?
        public var reviewedBy: String?
        public var settlesAt: Date?
        /// The scheduled merge or split holding it.
        public var heldBy: Int64?
        public var isVirtual: Bool
        public var clipKey: String?
    }

    static let columns = """
        c.id, c.source_video_id, v.title, c.start_frame, c.end_frame, c.start_seconds, c.end_seconds, c.state,
        to_jsonb(c.tags)::text AS tags, c.grouped_with_clip_id, c.version, c.retired_by, c.reviewed_by, c.settles_at,
        h.action_id AS held_by, c.is_virtual, c.clip_key
        """

    /// Live clips, sources oldest first and in frame order; optionally of one state, source or tag.
    public static func list(_ db: PostgresConnection, state: ClipState? = nil, sourceID: Int64? = nil, tag: String? = nil,
                            limit: Int = 100) throws -> [Listed] {
        try db.query("""
            SELECT \(columns) FROM clips c JOIN source_videos v ON v.id = c.source_video_id
            LEFT JOIN review_holds h ON h.clip_id = c.id
            WHERE c.retired_at IS NULL AND ($1::text IS NULL OR c.state = $1) AND ($2::bigint IS NULL OR c.source_video_id = $2)
              AND ($3::text IS NULL OR $3 = ANY(c.tags))
            ORDER BY c.source_video_id, c.start_frame LIMIT $4
            """, [state?.rawValue, sourceID, tag, limit]).map(listed)
    }

    /// One clip, live or retired.
    public static func clip(_ db: PostgresConnection, id: Int64) throws -> Listed? {
        try db.query("""
            SELECT \(columns) FROM clips c JOIN source_videos v ON v.id = c.source_video_id
            LEFT JOIN review_holds h ON h.clip_id = c.id WHERE c.id = $1
            """, [id]).first.map(listed)
    }

    /// A lineage link of a clip: the clips it came from or the clips made from it.
    public struct Link: Sendable, Equatable, Encodable {
        public var clipID: Int64
        public var operation: String
        public var actionID: Int64?
        public var undone: Bool

        enum CodingKeys: String, CodingKey {
            case clipID = "clip", operation, actionID = "action", undone
        }
    }

    public static func parents(_ db: PostgresConnection, of id: Int64) throws -> [Link] {
        try links(db, "SELECT parent_clip_id AS id, operation, action_id, undone_at IS NOT NULL AS undone FROM clip_lineage "
                      + "WHERE child_clip_id = $1 ORDER BY parent_clip_id", id)
    }

    public static func children(_ db: PostgresConnection, of id: Int64) throws -> [Link] {
        try links(db, "SELECT child_clip_id AS id, operation, action_id, undone_at IS NOT NULL AS undone FROM clip_lineage "
                      + "WHERE parent_clip_id = $1 ORDER BY child_clip_id", id)
    }

    /// The other live members of the clip's group (clips grouped with it, or it with them).
    public static func groupMembers(_ db: PostgresConnection, of id: Int64) throws -> [Int64] {
        try db.query("""
            WITH RECURSIVE g(id) AS (
                SELECT $1::bigint
                UNION
                SELECT CASE WHEN c.id = g.id THEN c.grouped_with_clip_id ELSE c.id END
                FROM clips c JOIN g ON c.grouped_with_clip_id = g.id OR (c.id = g.id AND c.grouped_with_clip_id IS NOT NULL)
                WHERE c.retired_at IS NULL
            )
            SELECT id FROM g WHERE id <> $1 ORDER BY id
            """, [id]).map { try $0.decode("id") }
    }

    private static func links(_ db: PostgresConnection, _ sql: String, _ id: Int64) throws -> [Link] {
        try db.query(sql, [id]).map {
            Link(clipID: try $0.decode("id"), operation: try $0.decode("operation"), actionID: try $0.decodeIfPresent("action_id"),
                 undone: try $0.decode("undone"))
        }
    }

    private static func listed(_ row: PostgresRow) throws -> Listed {
        Listed(id: try row.decode("id"), sourceID: try row.decode("source_video_id"), sourceTitle: try row.decode("title"),
               startFrame: try row.decode("start_frame"), endFrame: try row.decode("end_frame"),
               startSeconds: try row.decode("start_seconds"), endSeconds: try row.decode("end_seconds"),
               state: try row.decode("state"), tags: try JSONText(postgresText: try row.decode("tags")).decode([String].self),
               groupedWith: try row.decodeIfPresent("grouped_with_clip_id"), version: try row.decode("version"),
               retiredBy: try row.decodeIfPresent("retired_by"), reviewedBy: try row.decodeIfPresent("reviewed_by"),
               settlesAt: try row.decodeIfPresent("settles_at"), heldBy: try row.decodeIfPresent("held_by"),
               isVirtual: try row.decode("is_virtual"), clipKey: try row.decodeIfPresent("clip_key"))
    }
}
