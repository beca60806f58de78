import Domain

/// The clips waiting for a reviewer, sources oldest first, each source in frame order, read a
/// page at a time (so a queue of 100,000 clips opens at once). Clips held by a scheduled merge
/// or split, and clips another live reviewer session holds, are not offered.
public enum ReviewQueue {
    /// Where a page starts: after this clip's place in review order.
    public struct Cursor: Sendable, Equatable {
        public var sourceID: Int64
        public var startFrame: Int

        public init(sourceID: Int64, startFrame: Int) {
            self.sourceID = sourceID
            self.startFrame = startFrame
        }
    }

    /// Up to `limit` pending clips after `cursor` (from the start when nil), optionally of
    /// one source or with one tag; `session` is the asking reviewer's own (its claims are offered).
    public static func page(_ db: PostgresConnection, after cursor: Cursor? = nil, session: String? = nil,
                            sourceID: Int64? = nil, tag: String? = nil, limit: Int = 200) throws -> [QueueEntry] {
        try db.query("""
            SELECT \(columns) FROM clips c JOIN source_videos v ON v.id = c.source_video_id
            WHERE \(offered)
              AND ($5::bigint IS NULL OR (c.source_video_id, c.start_frame) > ($5::bigint, $6::int))
            ORDER BY c.source_video_id, c.start_frame
            LIMIT $7
            """, [ClipState.pendingReview.rawValue, session, sourceID, tag, cursor?.sourceID, cursor?.startFrame, limit])
            .map(entry)
    }

    /// How many clips `page` would offer in all.
    public static func count(_ db: PostgresConnection, session: String? = nil, sourceID: Int64? = nil,
                             tag: String? = nil) throws -> Int {
        try db.query("SELECT count(*)::int AS n FROM clips c WHERE \(offered)",
                     [ClipState.pendingReview.rawValue, session, sourceID, tag]).first!.decode("n")
    }

    /// Clips by id as they are now (any state), live ones only.
    public static func entries(_ db: PostgresConnection, ids: [Int64]) throws -> [QueueEntry] {
        try db.query("""
            SELECT \(columns) FROM clips c JOIN source_videos v ON v.id = c.source_video_id
            WHERE c.id = ANY($1::bigint[]) AND c.retired_at IS NULL ORDER BY c.source_video_id, c.start_frame
            """, [TextArray(ids)]).map(entry)
    }

    /// The live clip of `sourceID` holding `frame`.
    public static func containing(_ db: PostgresConnection, sourceID: Int64, frame: Int) throws -> QueueEntry? {
        try db.query("""
            SELECT \(columns) FROM clips c JOIN source_videos v ON v.id = c.source_video_id
            WHERE c.source_video_id = $1 AND c.retired_at IS NULL AND c.start_frame <= $2 AND c.end_frame > $2
            """, [sourceID, frame]).first.map(entry)
    }

    /// The live clips right before and after a clip in its source (for the cut view).
    public static func neighbours(_ db: PostgresConnection, of id: Int64) throws -> (before: QueueEntry?, after: QueueEntry?) {
        let rows = try db.query("""
            SELECT \(columns), CASE WHEN c.end_frame = n.start_frame THEN 'before' ELSE 'after' END AS side
            FROM clips n JOIN clips c ON c.source_video_id = n.source_video_id AND c.retired_at IS NULL
                 AND (c.end_frame = n.start_frame OR c.start_frame = n.end_frame)
            JOIN source_videos v ON v.id = c.source_video_id
            WHERE n.id = $1
            """, [id])
        var before: QueueEntry?, after: QueueEntry?
        for row in rows {
            if try row.decode("side", as: String.self) == "before" { before = try entry(row) } else { after = try entry(row) }
        }
        return (before, after)
    }

    static let columns = """
        c.id, c.source_video_id, v.title, c.start_frame, c.end_frame, c.start_seconds, c.end_seconds, c.state,
        to_jsonb(c.tags)::text AS tags, c.version, coalesce(v.fps, 25) AS fps
        """

    /// $1 pending state, $2 the asking session, $3 source, $4 tag.
    private static let offered = """
        c.retired_at IS NULL AND c.state = $1
        AND NOT EXISTS (SELECT 1 FROM review_holds h WHERE h.clip_id = c.id)
        AND NOT EXISTS (SELECT 1 FROM review_claims k JOIN review_sessions s ON s.id = k.session_id
                        WHERE k.clip_id = c.id AND s.ended_at IS NULL AND s.expires_at > now()
                          AND ($2::text IS NULL OR s.id <> $2::text))
        AND ($3::bigint IS NULL OR c.source_video_id = $3) AND ($4::text IS NULL OR $4 = ANY(c.tags))
        """

    static func entry(_ row: PostgresRow) throws -> QueueEntry {
        let state: String = try row.decode("state")
        guard let clipState = ClipState(rawValue: state) else { throw DatabaseError(.decoding, "unknown clip state \(state)") }
        return QueueEntry(clipID: try row.decode("id"), sourceID: try row.decode("source_video_id"),
                          sourceTitle: try row.decode("title"), startFrame: try row.decode("start_frame"),
                          endFrame: try row.decode("end_frame"), startSeconds: try row.decode("start_seconds"),
                          endSeconds: try row.decode("end_seconds"), state: clipState,
                          tags: try JSONText(postgresText: try row.decode("tags")).decode([String].self),
                          version: try row.decode("version"), framesPerSecond: try row.decode("fps"))
    }
}
