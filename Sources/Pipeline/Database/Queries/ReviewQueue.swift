import Domain
/// The clips waiting for a reviewer, oldest source first, in frame order; clips held by a
/// scheduled merge or split are not offered.
public enum ReviewQueue {
    public static func pending(_ connection: PostgresConnection, sourceID: Int64? = nil, tag: String? = nil,
                               limit: Int = 500) throws -> [QueueEntry] {
        let rows = try connection.query("""
            SELECT c.id, v.title, c.start_frame, c.end_frame, c.start_seconds, c.end_seconds, c.state
            FROM clips c JOIN source_videos v ON v.id = c.source_video_id
            WHERE c.retired_at IS NULL AND c.state = $1
              AND NOT EXISTS (SELECT 1 FROM review_holds h WHERE h.clip_id = c.id)
              AND ($3::bigint IS NULL OR c.source_video_id = $3) AND ($4::text IS NULL OR $4 = ANY(c.tags))
            ORDER BY v.id, c.start_frame
            LIMIT $2
            """, [ClipState.pendingReview.rawValue, limit, sourceID, tag])
        return try rows.map { row in
            let state: String = try row.decode("state")
            guard let clipState = ClipState(rawValue: state) else {
                throw DatabaseError(.decoding, "unknown clip state \(state)")
            }
            return QueueEntry(clipID: try row.decode("id"), sourceTitle: try row.decode("title"),
                              startFrame: try row.decode("start_frame"), endFrame: try row.decode("end_frame"),
                              startSeconds: try row.decode("start_seconds"), endSeconds: try row.decode("end_seconds"),
                              state: clipState)
        }
    }
}
