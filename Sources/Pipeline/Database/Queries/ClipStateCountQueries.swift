/// The live-clip counts by state that migration 18's triggers keep in `clip_state_counts`:
/// one row per change of a statement, per state; a state's count is the sum of its rows.
public enum ClipStateCountQueries {
    /// Live clips by state (`state`, `n`); states without clips are left out.
    static let counts = """
        SELECT state, sum(clips)::bigint AS n FROM clip_state_counts GROUP BY state HAVING sum(clips) <> 0
        """

    /// Folds the rows back to one per state once there are more than `above`; returns the
    /// rows written (0 when there was nothing to fold). One statement: the rows it deletes
    /// are the ones it sums, so changes committed meanwhile stay as rows of their own, and a
    /// second compaction at the same moment waits, then skips the rows the first took.
    @discardableResult
    public static func compact(_ db: PostgresConnection, above: Int = 64) throws -> Int {
        try db.execute("""
            WITH folded AS (
                DELETE FROM clip_state_counts WHERE (SELECT count(*) FROM clip_state_counts) > $1
                RETURNING state, clips
            )
            INSERT INTO clip_state_counts (state, clips)
            SELECT state, sum(clips) FROM folded GROUP BY state HAVING sum(clips) <> 0
            """, [above])
    }
}
