/// Jobs by stage and state without counting them, as migration 18 does for clips: finished
/// jobs stay for a week (JobQueue.prune), so a busy library holds hundreds of thousands, and
/// `heaters status` counted them all (~90 ms at 300,000) and scanned them for its list of
/// discarded jobs (~40 ms), which now has an index of its own.
enum Migration0019JobStateCounts {
    static let migration = Migration(version: 19, name: "job_state_counts", sql: """
        CREATE TABLE job_state_counts (
            stage text NOT NULL,
            state text NOT NULL,
            jobs bigint NOT NULL
        );

        CREATE FUNCTION job_state_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO job_state_counts (stage, state, jobs)
            SELECT stage, state, count(*) FROM inserted_jobs GROUP BY stage, state;
            RETURN NULL;
        END $$;
        CREATE FUNCTION job_state_counts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO job_state_counts (stage, state, jobs)
            SELECT stage, state, sum(change) FROM (
                SELECT stage, state, -1 AS change FROM old_jobs
                UNION ALL
                SELECT stage, state, 1 FROM new_jobs
            ) AS changes
            GROUP BY stage, state HAVING sum(change) <> 0;
            RETURN NULL;
        END $$;
        CREATE FUNCTION job_state_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO job_state_counts (stage, state, jobs)
            SELECT stage, state, -count(*) FROM deleted_jobs GROUP BY stage, state;
            RETURN NULL;
        END $$;

        CREATE TRIGGER job_state_counts_insert AFTER INSERT ON jobs
            REFERENCING NEW TABLE AS inserted_jobs
            FOR EACH STATEMENT EXECUTE FUNCTION job_state_counts_inserted();
        CREATE TRIGGER job_state_counts_update AFTER UPDATE ON jobs
            REFERENCING OLD TABLE AS old_jobs NEW TABLE AS new_jobs
            FOR EACH STATEMENT EXECUTE FUNCTION job_state_counts_updated();
        CREATE TRIGGER job_state_counts_delete AFTER DELETE ON jobs
            REFERENCING OLD TABLE AS deleted_jobs
            FOR EACH STATEMENT EXECUTE FUNCTION job_state_counts_deleted();

        INSERT INTO job_state_counts (stage, state, jobs)
        SELECT stage, state, count(*) FROM jobs GROUP BY stage, state;

        CREATE INDEX jobs_discarded_idx ON jobs (finished_at DESC NULLS LAST, id DESC) WHERE state = 'discarded';
        """)
}
