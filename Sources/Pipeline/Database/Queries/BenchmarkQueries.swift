/// What `heaters bench review` needs besides the review engine: a source cut into many
/// clips to decide, and the reference it is measured against — a bare one-row UPDATE of a
/// table with no triggers, on the same server, in the same run.
public enum BenchmarkQueries {
    /// A source of `clips` clips of `length` frames each; returns the clip ids in frame order.
    public static func source(_ db: PostgresConnection, title: String, clips: Int, length: Int) throws -> [Int64] {
        let frames = clips * length
        let source: Int64 = try db.query("""
            INSERT INTO source_videos (title, source_uri, frame_count, fps, duration_seconds)
            VALUES ($1, 'bench://review', $2::int, 25, $2::int / 25.0) RETURNING id
            """, [title, frames]).first!.decode("id")
        return try db.query("""
            INSERT INTO clips (source_video_id, start_frame, end_frame, start_seconds, end_seconds)
            SELECT $1, g * $2, (g + 1) * $2, g * $2 / 25.0, (g + 1) * $2 / 25.0 FROM generate_series(0, $3 - 1) g
            RETURNING id
            """, [source, length, clips]).map { try $0.decode("id") }.sorted()
    }

    /// Statistics as autovacuum would have them a minute later, so the timings are of the
    /// steady state rather than of plans made for an empty table.
    public static func analyze(_ db: PostgresConnection) throws {
        try db.runScript("ANALYZE clips; ANALYZE source_videos; ANALYZE review_actions;")
    }

    /// The reference row, in a temporary table of this connection's session.
    public static func createReference(_ db: PostgresConnection) throws {
        try db.runScript("""
            CREATE TEMP TABLE IF NOT EXISTS bench_reference (id integer PRIMARY KEY, n integer NOT NULL);
            INSERT INTO bench_reference VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
            """)
    }

    /// The bare one-row UPDATE (autocommit).
    public static func updateReference(_ db: PostgresConnection) throws {
        try db.execute("UPDATE bench_reference SET n = n + 1 WHERE id = $1", [1])
    }
}
