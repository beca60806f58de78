import Domain

/// Every statement of the job queue, in one place (the River habit): code outside this
/// module calls `JobQueries`, never these strings.
enum JobSQL {
    /// `JobState.live` as an SQL list, 'scheduled', 'available', …: the predicate of the
    /// unique index `jobs_one_live_per_subject` (migration 7), which `ON CONFLICT` must
    /// repeat to infer that index. Constant text from the enum, never a runtime value.
    static let live = JobState.live.map { "'\($0.rawValue)'" }.joined(separator: ", ")

    /// $1 stage, $2 queue, $3 subject_type, $4 subject_id, $5 max_attempts, $6 priority,
    /// $7 args, $8 scheduled_at (NULL: now). Nothing is inserted while a live job exists
    /// for the same stage and subject (the unique partial index).
    static let enqueue = """
        INSERT INTO jobs (stage, queue, subject_type, subject_id, max_attempts, priority, args, state, scheduled_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb,
                CASE WHEN $8::timestamptz > now() THEN 'scheduled' ELSE 'available' END,
                coalesce($8::timestamptz, now()))
        ON CONFLICT (stage, subject_type, subject_id) WHERE state IN (\(live))
        DO NOTHING
        RETURNING id
        """

    /// $1 queue, $2 how many, $3 worker, $4 lease seconds, $5 the stages this worker has
    /// (an older binary must not use up the attempts of stages it does not know). Highest
    /// priority first, then the longest waiting; rows another worker is claiming are skipped.
    static let claim = """
        WITH next AS (
            SELECT id FROM jobs
            WHERE queue = $1 AND state IN ('available', 'scheduled', 'retryable') AND scheduled_at <= now()
              AND stage = ANY($5::text[])
            ORDER BY priority DESC, scheduled_at, id
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        ), claimed AS (
            UPDATE jobs j
            SET state = 'running', attempt = j.attempt + 1, attempted_at = now(), attempted_by = $3,
                lease_expires_at = now() + make_interval(secs => $4)
            FROM next WHERE j.id = next.id
            RETURNING j.id, j.stage, j.queue, j.subject_type, j.subject_id, j.attempt, j.max_attempts, j.args::text AS args
        ), logged AS (
            INSERT INTO job_attempts (job_id, attempt, worker) SELECT id, attempt, $3 FROM claimed
        )
        SELECT * FROM claimed
        """

    /// $1 job ids, $2 worker name or a prefix of it (a process's identity), $3 lease seconds.
    static let heartbeat = """
        UPDATE jobs SET lease_expires_at = now() + make_interval(secs => $3)
        WHERE id = ANY($1::bigint[]) AND state = 'running' AND starts_with(attempted_by, $2)
        RETURNING id
        """

    /// $1 id, $2 progress in [0, 1].
    static let progress = """
        UPDATE jobs SET progress = $2 WHERE id = $1 AND state = 'running'
        """

    /// $1 id, $2 worker, $3 attempt, $4 the stage's result. Only the attempt that holds the
    /// lease may finish the job: a worker whose lease ran out finds nothing to update. The
    /// stored result is {status, duration_ms, attempt} plus the stage's own fields.
    static let complete = """
        WITH done AS (
            UPDATE jobs SET state = 'completed', finished_at = now(), lease_expires_at = NULL, progress = 1,
                            result = jsonb_build_object(
                                'status', 'completed', 'attempt', attempt,
                                'duration_ms', round(extract(epoch FROM clock_timestamp() - attempted_at) * 1000)
                            ) || $4::jsonb
            WHERE id = $1 AND state = 'running' AND attempted_by = $2 AND attempt = $3
            RETURNING id, attempt
        )
        UPDATE job_attempts a SET outcome = 'completed', finished_at = now()
        FROM done WHERE a.job_id = done.id AND a.attempt = done.attempt AND a.outcome = 'running'
        RETURNING a.job_id
        """

    /// $1 id, $2 worker, $3 attempt, $4 error, $5 discard?, $6 retry delay seconds.
    static let fail = """
        WITH failed AS (
            UPDATE jobs SET
                state = CASE WHEN $5::bool THEN 'discarded' ELSE 'retryable' END,
                scheduled_at = CASE WHEN $5::bool THEN scheduled_at ELSE now() + make_interval(secs => $6) END,
                finished_at = CASE WHEN $5::bool THEN now() END,
                lease_expires_at = NULL,
                errors = errors || jsonb_build_array(jsonb_build_object(
                    'attempt', attempt, 'at', now(), 'worker', $2::text, 'error', $4::text))
            WHERE id = $1 AND state = 'running' AND attempted_by = $2 AND attempt = $3
            RETURNING id, attempt, state
        )
        UPDATE job_attempts a SET outcome = 'failed', finished_at = now(), error = $4
        FROM failed WHERE a.job_id = failed.id AND a.attempt = failed.attempt AND a.outcome = 'running'
        RETURNING failed.state
        """

    /// $1 id, $2 worker, $3 attempt, $4 error. An outage (the database, the store or the
    /// disk unavailable) spends no attempt — the allowance grows by one, as a release's does —
    /// but one of the job's `max_outages`, and the job waits 5 s doubling to 5 min (±10 %), long
    /// enough to ride out a restart or a full disk being cleared. Nothing is updated once the
    /// outages are used up (the caller then records a failure) or the lease is not held.
    static let postpone = """
        WITH postponed AS (
            UPDATE jobs SET
                state = 'retryable', outages = outages + 1, max_attempts = max_attempts + 1,
                scheduled_at = now() + make_interval(secs => least(300, 5 * power(2, least(outages, 6))) * (0.9 + 0.2 * random())),
                lease_expires_at = NULL,
                errors = errors || jsonb_build_array(jsonb_build_object(
                    'attempt', attempt, 'at', now(), 'worker', $2::text, 'outage', outages + 1, 'error', $4::text))
            WHERE id = $1 AND state = 'running' AND attempted_by = $2 AND attempt = $3 AND outages < max_outages
            RETURNING id, attempt, scheduled_at
        ), logged AS (
            UPDATE job_attempts a SET outcome = 'postponed', finished_at = now(), error = $4
            FROM postponed WHERE a.job_id = postponed.id AND a.attempt = postponed.attempt AND a.outcome = 'running'
        )
        SELECT extract(epoch FROM scheduled_at - now())::float8 AS wait FROM postponed
        """

    /// $1 id, $2 worker, $3 attempt. A clean shutdown hands the job back without using up
    /// an attempt: the attempt stays counted (each has its row in job_attempts) and the
    /// allowance grows by one.
    static let release = """
        WITH released AS (
            UPDATE jobs SET state = 'available', max_attempts = max_attempts + 1, lease_expires_at = NULL,
                            attempted_by = NULL, scheduled_at = now()
            WHERE id = $1 AND state = 'running' AND attempted_by = $2 AND attempt = $3
            RETURNING id, attempt
        )
        UPDATE job_attempts a SET outcome = 'released', finished_at = now()
        FROM released WHERE a.job_id = released.id AND a.attempt = released.attempt AND a.outcome = 'running'
        RETURNING a.job_id
        """

    /// Running jobs whose lease ran out: their worker died. A loss spends no failure attempt
    /// (the allowance grows by one, as a release's does) but one of the job's `max_losses`,
    /// and the retry waits 2, 4, 8 … up to 60 seconds, so a crash loop does not spin; the job
    /// is discarded only when its losses are used up.
    static let rescueExpired = """
        WITH lost AS (
            UPDATE jobs SET
                state = CASE WHEN losses + 1 >= max_losses THEN 'discarded' ELSE 'retryable' END,
                finished_at = CASE WHEN losses + 1 >= max_losses THEN now() END,
                losses = losses + 1,
                max_attempts = CASE WHEN losses + 1 >= max_losses THEN max_attempts ELSE max_attempts + 1 END,
                scheduled_at = now() + make_interval(secs => least(60, power(2, least(losses + 1, 6)))),
                lease_expires_at = NULL,
                errors = errors || jsonb_build_array(jsonb_build_object(
                    'attempt', attempt, 'at', now(), 'worker', attempted_by, 'loss', losses + 1,
                    'error', 'the worker stopped renewing its lease (it crashed or was killed)'))
            WHERE state = 'running' AND lease_expires_at < now()
            RETURNING id, attempt, state, stage, subject_type, subject_id, losses, max_losses
        ), logged AS (
            UPDATE job_attempts a SET outcome = 'lost', finished_at = now()
            FROM lost WHERE a.job_id = lost.id AND a.attempt = lost.attempt AND a.outcome = 'running'
        )
        SELECT id, state, stage, subject_type, subject_id, losses, max_losses FROM lost
        """

    /// $1 id.
    static let cancel = """
        WITH cancelled AS (
            UPDATE jobs SET state = 'cancelled', finished_at = now(), lease_expires_at = NULL
            WHERE id = $1 AND state IN (\(live))
            RETURNING id, stage, subject_id
        ), logged AS (
            UPDATE job_attempts a SET outcome = 'cancelled', finished_at = now()
            FROM cancelled WHERE a.job_id = cancelled.id AND a.outcome = 'running'
        )
        SELECT id, stage, subject_id FROM cancelled
        """

    /// $1 id: a discarded or cancelled job runs again with a fresh set of attempts.
    static let retry = """
        UPDATE jobs SET state = 'available', attempt = 0, losses = 0, outages = 0, scheduled_at = now(), finished_at = NULL
        WHERE id = $1 AND state IN ('discarded', 'cancelled')
        RETURNING id, stage, subject_id
        """

    /// Only the newest discarded job of each stage and subject, and only where no live job
    /// exists: two revived jobs for one subject would break the one-live-job rule.
    static let retryAllDiscarded = """
        WITH pick AS (
            SELECT DISTINCT ON (stage, subject_type, subject_id) id FROM jobs d
            WHERE d.state = 'discarded'
              AND NOT EXISTS (SELECT 1 FROM jobs live WHERE live.stage = d.stage AND live.subject_type = d.subject_type
                              AND live.subject_id = d.subject_id
                              AND live.state IN (\(live)))
            ORDER BY stage, subject_type, subject_id, id DESC
        )
        UPDATE jobs SET state = 'available', attempt = 0, losses = 0, outages = 0, scheduled_at = now(), finished_at = NULL
        FROM pick WHERE jobs.id = pick.id
        RETURNING jobs.id, jobs.stage, jobs.subject_id
        """

    /// $1 age in seconds.
    static let prune = """
        DELETE FROM jobs WHERE state IN ('completed', 'cancelled') AND finished_at < now() - make_interval(secs => $1)
        """

    /// Whether anything is left to do in the given queues, now or later.
    static let pendingCount = """
        SELECT count(*) AS n FROM jobs
        WHERE queue = ANY($1::text[]) AND state IN (\(live))
        """
}
