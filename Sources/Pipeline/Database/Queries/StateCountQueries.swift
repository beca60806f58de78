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
        try db.execute(fold(table: "clip_state_counts", keys: "state", count: "clips"), [above])
            + db.execute(fold(table: "job_state_counts", keys: "stage, state", count: "jobs"), [above])
    }

    /// $1 the row count above which to fold. The names are the constants above, never input.
    private static func fold(table: String, keys: String, count: String) -> String {
        """
        WITH folded AS (
            DELETE FROM \(table) WHERE (SELECT count(*) FROM \(table)) > $1
            RETURNING \(keys), \(count)
        )
        INSERT INTO \(table) (\(keys), \(count))
        SELECT \(keys), sum(\(count)) FROM folded GROUP BY \(keys) HAVING sum(\(count)) <> 0
        """
    }
}
