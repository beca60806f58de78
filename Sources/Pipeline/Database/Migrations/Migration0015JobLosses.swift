/// A worker that dies is not the job's fault: losses (a lease that ran out) get their own,
/// larger budget with backoff, and spend none of the job's failure attempts. A job discarded
/// after `max_losses` losses in all is the guard against an input that kills every worker that
/// touches it. Before this, six `kill -9`s during preprocessing failed four good sources.
enum Migration0015JobLosses {
    static let migration = Migration(version: 15, name: "job_losses", sql: """
        ALTER TABLE jobs
            ADD COLUMN losses integer NOT NULL DEFAULT 0 CHECK (losses >= 0),
            ADD COLUMN max_losses integer NOT NULL DEFAULT 10 CHECK (max_losses > 0);
        """)
}
