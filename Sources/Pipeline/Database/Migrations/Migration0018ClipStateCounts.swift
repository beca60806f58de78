/// Live clips by state without counting them: `heaters status` and the station's pipeline
/// line counted every live clip on each call (~14 ms at 100,000 clips, growing with the
/// library). Triggers on every statement that changes clips append the change per state
/// to `clip_state_counts`; a state's count is the sum of its rows. Appending, rather than
/// updating one row per state, keeps writers from waiting on each other (or deadlocking on
/// two states' rows in opposite orders); StateCountQueries.compact folds the rows back
/// to one per state. Backfilled here while the new triggers' lock keeps clips from changing.
enum Migration0018ClipStateCounts {
    static let migration = Migration(version: 18, name: "clip_state_counts", sql: """
        CREATE TABLE clip_state_counts (
            state text NOT NULL,
            clips bigint NOT NULL
        );

        CREATE FUNCTION clip_state_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO clip_state_counts (state, clips)
            SELECT state, count(*) FROM inserted_clips WHERE retired_at IS NULL GROUP BY state;
            RETURN NULL;
        END $$;
        CREATE FUNCTION clip_state_counts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO clip_state_counts (state, clips)
            SELECT state, sum(change) FROM (
                SELECT state, -1 AS change FROM old_clips WHERE retired_at IS NULL
                UNION ALL
                SELECT state, 1 FROM new_clips WHERE retired_at IS NULL
            ) AS changes
            GROUP BY state HAVING sum(change) <> 0;
            RETURN NULL;
        END $$;
        CREATE FUNCTION clip_state_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO clip_state_counts (state, clips)
            SELECT state, -count(*) FROM deleted_clips WHERE retired_at IS NULL GROUP BY state;
            RETURN NULL;
        END $$;

        CREATE TRIGGER clip_state_counts_insert AFTER INSERT ON clips
            REFERENCING NEW TABLE AS inserted_clips
            FOR EACH STATEMENT EXECUTE FUNCTION clip_state_counts_inserted();
        CREATE TRIGGER clip_state_counts_update AFTER UPDATE ON clips
            REFERENCING OLD TABLE AS old_clips NEW TABLE AS new_clips
            FOR EACH STATEMENT EXECUTE FUNCTION clip_state_counts_updated();
        CREATE TRIGGER clip_state_counts_delete AFTER DELETE ON clips
            REFERENCING OLD TABLE AS deleted_clips
            FOR EACH STATEMENT EXECUTE FUNCTION clip_state_counts_deleted();

        INSERT INTO clip_state_counts (state, clips)
        SELECT state, count(*) FROM clips WHERE retired_at IS NULL GROUP BY state;
        """)
}
