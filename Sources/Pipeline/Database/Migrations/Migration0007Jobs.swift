/// The job queue (the Oban/River pattern). A job is one stage applied to one subject (a
/// source video or a clip). States:
///
///     scheduled ──(time)──> available ──(claim)──> running ──> completed
///                               ^                     │
///                               └──── retryable <─────┤ (error, attempts left)
///                                                     ├──> discarded (attempts used up)
///     any non-final ──(cancel)──> cancelled
///
/// At most one live (non-final) job per stage and subject: a unique partial index.
enum Migration0007Jobs {
    static let migration = Migration(version: 7, name: "jobs", sql: """
        CREATE TABLE jobs (
            id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            stage            text NOT NULL,
            queue            text NOT NULL DEFAULT 'default',
            subject_type     text NOT NULL CHECK (subject_type IN ('source_video', 'clip', 'none')),
            subject_id       bigint NOT NULL,
            state            text NOT NULL DEFAULT 'available' CHECK (state IN (
                                 'scheduled', 'available', 'running', 'retryable',
                                 'completed', 'discarded', 'cancelled')),
            priority         smallint NOT NULL DEFAULT 0,
            attempt          integer NOT NULL DEFAULT 0 CHECK (attempt >= 0),
            max_attempts     integer NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
            args             jsonb NOT NULL DEFAULT '{}',
            -- One entry per failed attempt: {attempt, at, error}.
            errors           jsonb NOT NULL DEFAULT '[]',
            result           jsonb,
            progress         real CHECK (progress BETWEEN 0 AND 1),
            scheduled_at     timestamptz NOT NULL DEFAULT now(),
            attempted_at     timestamptz,
            attempted_by     text,
            lease_expires_at timestamptz,
            finished_at      timestamptz,
            created_at       timestamptz NOT NULL DEFAULT now(),
            updated_at       timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT running_has_lease CHECK (state <> 'running' OR lease_expires_at IS NOT NULL),
            CONSTRAINT final_has_finish CHECK (
                state NOT IN ('completed', 'discarded', 'cancelled') OR finished_at IS NOT NULL)
        );
        CREATE UNIQUE INDEX jobs_one_live_per_subject ON jobs (stage, subject_type, subject_id)
            WHERE state IN ('scheduled', 'available', 'running', 'retryable');
        -- Claiming scans this: the next runnable job of a queue by priority, then time.
        CREATE INDEX jobs_claim_idx ON jobs (queue, priority DESC, scheduled_at, id)
            WHERE state IN ('available', 'scheduled', 'retryable');
        CREATE INDEX jobs_lease_idx ON jobs (lease_expires_at) WHERE state = 'running';
        CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE finished_at IS NOT NULL;
        CREATE TRIGGER jobs_touch BEFORE UPDATE ON jobs
            FOR EACH ROW EXECUTE FUNCTION heaters_touch_updated_at();

        ALTER TABLE review_actions ADD CONSTRAINT review_actions_job_fk
            FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE SET NULL;
        """)
}
