import Foundation

/// Reviewer sessions and the clips they claim. A session is alive while its lease is
/// renewed; its claims die with it (a dropped SSH link frees them once the lease runs out).
/// The primary key of `review_claims` keeps one session per clip.
public enum ReviewSessionQueries {
    public static func open(_ db: PostgresConnection, id: String, reviewer: String, host: String, pid: Int32,
                            leaseSeconds: Double) throws {
        try db.execute("""
            INSERT INTO review_sessions (id, reviewer, host, pid, expires_at)
            VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5::float8))
            """, [id, reviewer, host, pid, leaseSeconds])
    }

    /// Renews the lease; false when the session ended or expired (its claims may be gone).
    public static func renew(_ db: PostgresConnection, id: String, leaseSeconds: Double) throws -> Bool {
        try !db.query("""
            UPDATE review_sessions SET expires_at = now() + make_interval(secs => $2::float8)
            WHERE id = $1 AND ended_at IS NULL AND expires_at > now() RETURNING id
            """, [id, leaseSeconds]).isEmpty
    }

    /// Ends the session and releases its claims.
    public static func end(_ db: PostgresConnection, id: String) throws {
        try db.transaction { tx in
            try tx.execute("DELETE FROM review_claims WHERE session_id = $1", [id])
            try tx.execute("UPDATE review_sessions SET ended_at = now() WHERE id = $1 AND ended_at IS NULL", [id])
        }
    }

    /// Claims for `session` up to `count` pending clips of one source in frame order: of
    /// `sourceID` from `fromFrame` on when given, else of the first source with unclaimed
    /// pending clips. Clips another live session holds, or that a concurrent claim has locked,
    /// are passed over (`SKIP LOCKED`). Returns the clips this session now holds.
    public static func claim(_ db: PostgresConnection, session: String, sourceID: Int64? = nil, fromFrame: Int = 0,
                             count: Int) throws -> [Int64] {
        try db.transaction { tx in
            var source = sourceID
            if source == nil {
                source = try tx.query("""
                    SELECT c.source_video_id FROM clips c
                    WHERE \(claimable) ORDER BY c.source_video_id, c.start_frame LIMIT 1 FOR UPDATE OF c SKIP LOCKED
                    """, [session]).first?.decode("source_video_id")
            }
            guard let source else { return [] }
            return try tx.query("""
                WITH picked AS (
                    SELECT c.id FROM clips c
                    WHERE \(claimable) AND c.source_video_id = $2 AND c.end_frame > $3
                    ORDER BY c.start_frame LIMIT $4
                    FOR UPDATE OF c SKIP LOCKED
                )
                INSERT INTO review_claims (clip_id, session_id) SELECT id, $1 FROM picked
                ON CONFLICT (clip_id) DO UPDATE SET session_id = EXCLUDED.session_id, claimed_at = now()
                WHERE review_claims.session_id = EXCLUDED.session_id
                   OR NOT EXISTS (SELECT 1 FROM review_sessions s WHERE s.id = review_claims.session_id
                                  AND s.ended_at IS NULL AND s.expires_at > now())
                RETURNING clip_id
                """, [session, source, fromFrame, count]).map { try $0.decode("clip_id") }
        }
    }

    /// Pending, live, unheld, and not held by another live session ($1 is the session).
    private static let claimable = """
        c.retired_at IS NULL AND c.state = 'pending_review'
        AND NOT EXISTS (SELECT 1 FROM review_holds h WHERE h.clip_id = c.id)
        AND NOT EXISTS (SELECT 1 FROM review_claims k JOIN review_sessions s ON s.id = k.session_id
                        WHERE k.clip_id = c.id AND k.session_id <> $1 AND s.ended_at IS NULL AND s.expires_at > now())
        """

    /// Gives up some of the session's claims.
    public static func release(_ db: PostgresConnection, session: String, clips: [Int64]) throws {
        try db.execute("DELETE FROM review_claims WHERE session_id = $1 AND clip_id = ANY($2::bigint[])", [session, TextArray(clips)])
    }

    /// The clips a session holds now.
    public static func claims(_ db: PostgresConnection, session: String) throws -> [Int64] {
        try db.query("""
            SELECT k.clip_id FROM review_claims k JOIN review_sessions s ON s.id = k.session_id
            WHERE k.session_id = $1 AND s.ended_at IS NULL AND s.expires_at > now() ORDER BY k.clip_id
            """, [session]).map { try $0.decode("clip_id") }
    }

    /// Another live session holding one of `clips`.
    public struct Holder: Sendable, Equatable {
        public var clipID: Int64
        public var sessionID: String
        public var reviewer: String
        public var host: String
    }

    /// Which of `clips` live sessions other than `session` hold.
    public static func heldByOthers(_ db: PostgresConnection, clips: [Int64], session: String?) throws -> [Holder] {
        try db.query("""
            SELECT k.clip_id, s.id, s.reviewer, s.host FROM review_claims k JOIN review_sessions s ON s.id = k.session_id
            WHERE k.clip_id = ANY($1::bigint[]) AND s.ended_at IS NULL AND s.expires_at > now()
              AND ($2::text IS NULL OR s.id <> $2)
            ORDER BY k.clip_id
            """, [TextArray(clips), session]).map {
            Holder(clipID: try $0.decode("clip_id"), sessionID: try $0.decode("id"), reviewer: try $0.decode("reviewer"),
                   host: try $0.decode("host"))
        }
    }
}
