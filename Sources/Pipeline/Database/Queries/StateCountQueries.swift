/// The counts by state that the triggers of migrations 18 and 19 keep: `clip_state_counts`
/// (live clips by state) and `job_state_counts` (jobs by stage and state), one row per change
/// of a statement; a count is the sum of its rows.
public enum StateCountQueries {
    /// Live clips by state (`state`, `n`); states without clips are left out.
    static let clipCounts = """
        SELECT state, sum(clips)::bigint AS n FROM clip_state_counts GROUP BY state HAVING sum(clips) <> 0
        """

    /// Jobs by stage and state (`stage`, `state`, `n`); pairs without jobs are left out.
    static let jobCounts = """
        SELECT stage, state, sum(jobs)::bigint AS n FROM job_state_counts GROUP BY stage, state HAVING sum(jobs) <> 0
        """

    /// Folds each table's rows back to one per state once it has more than `above`; returns
    /// the rows written (0 when there was nothing to fold). One statement a table: the rows it
    /// deletes are the ones it sums, so changes committed meanwhile stay as rows of their own,
    /// and a second compaction at the same moment waits, then skips the rows the first took.
    @discardableResult
    public static func compact(_ db: PostgresConnection, above: Int = 64) throws -> Int {
        let clips = try db.execute("""
            WITH folded AS (
                DELETE FROM clip_state_counts WHERE (SELECT count(*) FROM clip_state_counts) > $1
                RETURNING state, clips
            )
            INSERT INTO clip_state_counts (state, clips)
            SELECT state, sum(clips) FROM folded GROUP BY state HAVING sum(clips) <> 0
            """, [above])
        let jobs = try db.execute("""
            WITH folded AS (
                DELETE FROM job_state_counts WHERE (SELECT count(*) FROM job_state_counts) > $1
                RETURNING stage, state, jobs
            )
            INSERT INTO job_state_counts (stage, state, jobs)
            SELECT stage, state, sum(jobs) FROM folded GROUP BY stage, state HAVING sum(jobs) <> 0
            """, [above])
        return clips + jobs
    }
}
