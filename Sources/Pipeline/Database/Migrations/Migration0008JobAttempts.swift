/// Every attempt at a job — who ran it, when, how it ended — and the NOTIFY that wakes idle
/// workers when a job becomes claimable.
enum Migration0008JobAttempts {
    static let migration = Migration(version: 8, name: "job_attempts", sql: """
        CREATE TABLE job_attempts (
            id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            job_id      bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            -- Numbers restart when `heaters retry` gives a job fresh attempts; ids do not.
            attempt     integer NOT NULL CHECK (attempt > 0),
            worker      text NOT NULL,
            started_at  timestamptz NOT NULL DEFAULT now(),
            finished_at timestamptz,
            -- 'lost': the worker's lease ran out (it died); 'released': it stopped cleanly first.
            outcome     text NOT NULL DEFAULT 'running'
                        CHECK (outcome IN ('running', 'completed', 'failed', 'lost', 'released', 'cancelled')),
            error       text
        );
        CREATE INDEX job_attempts_job_idx ON job_attempts (job_id, attempt);
        -- At most one attempt of a job is running at a time.
        CREATE UNIQUE INDEX job_attempts_one_running ON job_attempts (job_id) WHERE outcome = 'running';

        CREATE FUNCTION heaters_jobs_notify() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.state IN ('available', 'retryable', 'scheduled') THEN
                PERFORM pg_notify('heaters_jobs', NEW.queue);
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER jobs_notify AFTER INSERT OR UPDATE OF state ON jobs
            FOR EACH ROW EXECUTE FUNCTION heaters_jobs_notify();
        """)
}
