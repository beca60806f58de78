/// An outage is not the job's fault either: when the database, the object store or the disk
/// is unavailable for now, the job waits with its own long backoff (5 s doubling to 5 min)
/// and spends none of its attempts. `max_outages` (100, about eight hours of waiting at the
/// cap) bounds an error wrongly taken for an outage; after it, outages count as failures.
/// An attempt ended that way is recorded as 'postponed'.
enum Migration0016JobOutages {
    static let migration = Migration(version: 16, name: "job_outages", sql: """
        ALTER TABLE jobs
            ADD COLUMN outages integer NOT NULL DEFAULT 0 CHECK (outages >= 0),
            ADD COLUMN max_outages integer NOT NULL DEFAULT 100 CHECK (max_outages > 0);
        ALTER TABLE job_attempts DROP CONSTRAINT job_attempts_outcome_check;
        ALTER TABLE job_attempts ADD CONSTRAINT job_attempts_outcome_check
            CHECK (outcome IN ('running', 'completed', 'failed', 'lost', 'released', 'cancelled', 'postponed'));
        """)
}
