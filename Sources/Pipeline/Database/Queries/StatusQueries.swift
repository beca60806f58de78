import Domain
import Foundation

/// What `heaters status` reports: how many source videos, live clips and jobs are in each
/// state, and the items that failed with their last error.
public struct PipelineStatus: Sendable, Encodable {
    public var sourceVideos: StateCounts
    /// Live clips only: clips retired by a merge or split are history.
    public var clips: StateCounts
    public var jobs: JobCounts
    public var review: ReviewStatus
    /// Live jobs whose worker was lost, or that met an outage (the database, the store or the
    /// disk unavailable), at least once: retried on their own budgets, spending no attempts.
    public var recovering: [RecoveringJob]
    public var failed: FailedItems
}

/// A live job retried after its worker was lost (crashed, killed, its lease ran out) or after
/// an outage put it off.
public struct RecoveringJob: Sendable, Encodable {
    public var id: Int64
    public var stage: String
    public var subjectID: Int64
    public var state: String
    public var losses: Int
    public var maxLosses: Int
    public var outages: Int
    public var maxOutages: Int
    /// The error its last attempt recorded (for an outage: what was unavailable).
    public var lastError: String?
    /// When it runs again (nil: running now).
    public var retriesAt: Date?
}

/// The review engine's side of `heaters status`: merges and splits waiting to land,
/// decisions still inside their undo window, and landings no worker has picked up.
public struct ReviewStatus: Sendable, Encodable {
    public struct Pending: Sendable, Encodable {
        public var action: Int64
        public var kind: String
        public var clip: Int64
        public var reviewer: String
        public var landsAt: Date?
        /// Its landing job should have run a while ago: no worker is running the review queue.
        public var overdue: Bool
    }

    /// A decision the pipeline waits for: it can still be undone until `settlesAt`.
    public struct Settling: Sendable, Encodable {
        public var action: Int64
        public var kind: String
        public var clip: Int64
        public var reviewer: String
        public var settlesAt: Date?
    }

    public var pending: [Pending]
    /// Decisions (not merges or splits) that can still be undone before the pipeline acts.
    public var settling: Int
    /// The first of them, soonest to settle first.
    public var settlingActions: [Settling]
    /// Landing jobs more than `overdueSeconds` past their time and not yet taken.
    public var overdue: Int

    /// How late a landing may be before status warns.
    public static let overdueSeconds = 15.0
}

/// Counts by state. `byState` has every known state, zero included, so readers can index it
/// without checking; `states` keeps the pipeline's order for display.
public struct StateCounts: Sendable, Encodable {
    public var total: Int
    public var byState: [String: Int]
    /// The states in display order (pipeline order, then any unknown ones); not encoded.
    public var states: [String]

    enum CodingKeys: String, CodingKey { case total, byState }

    init(known: [String], counts: [(state: String, count: Int)]) {
        var byState = Dictionary(uniqueKeysWithValues: known.map { ($0, 0) })
        var states = known
        for (state, count) in counts {
            if byState[state] == nil { states.append(state) }
            byState[state, default: 0] += count
        }
        self.byState = byState
        self.states = states
        total = counts.reduce(0) { $0 + $1.count }
    }

    /// The states that have at least one item, in display order.
    public var nonZero: [(state: String, count: Int)] {
        states.compactMap { state in byState[state].flatMap { $0 > 0 ? (state, $0) : nil } }
    }
}

/// Jobs by state, overall and per stage (encoded as `total`, `byState`, `byStage`).
public struct JobCounts: Sendable, Encodable {
    public var all: StateCounts
    public var byStage: [String: StateCounts]

    public var total: Int { all.total }

    enum CodingKeys: String, CodingKey { case total, byState, byStage }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(all.total, forKey: .total)
        try container.encode(all.byState, forKey: .byState)
        try container.encode(byStage, forKey: .byStage)
    }
}

/// Everything that stopped on an error and needs a person (or `heaters retry`).
public struct FailedItems: Sendable, Encodable {
    public var sourceVideos: [FailedSourceVideo]
    public var clips: [FailedClip]
    /// Discarded jobs: they used up their attempts.
    public var jobs: [FailedJob]

    public var isEmpty: Bool { sourceVideos.isEmpty && clips.isEmpty && jobs.isEmpty }
}

public struct FailedSourceVideo: Sendable, Encodable {
    public var id: Int64
    public var title: String
    public var sourceURI: String
    public var state: String
    public var errorMessage: String?
    public var updatedAt: Date
}

public struct FailedClip: Sendable, Encodable {
    public var id: Int64
    public var sourceVideoID: Int64
    public var sourceTitle: String
    public var state: String
    public var startSeconds: Double
    public var endSeconds: Double
    public var errorMessage: String?
    public var updatedAt: Date
}

public struct FailedJob: Sendable, Encodable {
    public var id: Int64
    public var stage: String
    public var queue: String
    public var subjectType: String
    public var subjectID: Int64
    /// Attempts used, and the most allowed.
    public var attempt: Int
    public var maxAttempts: Int
    /// How many errors the job's `errors` array holds (every failed attempt, across retries).
    public var errorCount: Int
    /// The newest entry of the `errors` array.
    public var lastError: String?
    public var lastErrorAttempt: Int?
    public var finishedAt: Date?
}

/// One row of `heaters jobs`.
public struct JobSummary: Sendable, Encodable {
    public var id: Int64
    public var stage: String
    public var queue: String
    public var subjectType: String
    public var subjectID: Int64
    public var state: JobState
    public var priority: Int
    public var attempt: Int
    public var maxAttempts: Int
    public var scheduledAt: Date
    public var attemptedAt: Date?
    public var finishedAt: Date?
    public var createdAt: Date
    public var errorCount: Int
    /// The newest entry of the `errors` array, in full.
    public var lastError: String?
}

/// A page of `heaters jobs`: the newest matching jobs and how many match in all.
public struct JobListing: Sendable, Encodable {
    public var jobs: [JobSummary]
    public var matching: Int
}

/// The read-only queries behind `heaters status`, `heaters jobs` and `heaters retry`'s
/// checks. The SQL stays here; commands only format what comes back.
public enum StatusQueries {
    /// How many items each failed list of `pipelineStatus` holds unless told otherwise.
    public static let defaultFailedLimit = 50

    /// Counts and failed items; each failed list holds at most `failedLimit` of the newest.
    /// $1 limit. Live jobs with losses or outages, most lost or put off first.
    static let recoveringJobs = """
        SELECT id, stage, subject_id, state, losses, max_losses, outages, max_outages,
               errors -> -1 ->> 'error' AS last_error,
               CASE WHEN state = 'running' THEN NULL ELSE scheduled_at END AS retries_at
        FROM jobs WHERE (losses > 0 OR outages > 0) AND state IN (\(JobSQL.live))
        ORDER BY losses + outages DESC, id LIMIT $1
        """

    public static func pipelineStatus(_ db: PostgresConnection, failedLimit: Int = defaultFailedLimit) throws -> PipelineStatus {
        let videos = try counts(db, Self.sourceVideoCounts)
        let clips = try counts(db, StateCountQueries.clipCounts)
        let jobStates = JobState.allCases.map(\.rawValue)
        var byStage: [String: [(state: String, count: Int)]] = [:]
        for row in try db.query(StateCountQueries.jobCounts) {
            byStage[try row.decode("stage"), default: []].append((try row.decode("state"), try row.decode("n")))
        }
        let stages = byStage.mapValues { StateCounts(known: jobStates, counts: $0) }
        let overall = StateCounts(known: jobStates, counts: byStage.values.flatMap { $0 })
        let failedVideoStates = SourceVideoState.allCases.filter(\.isFailure).map(\.rawValue)
        let failedClipStates = ClipState.allCases.filter(\.isFailure).map(\.rawValue)
        return PipelineStatus(
            sourceVideos: StateCounts(known: SourceVideoState.allCases.map(\.rawValue), counts: videos),
            clips: StateCounts(known: ClipState.allCases.map(\.rawValue), counts: clips),
            jobs: JobCounts(all: overall, byStage: stages),
            review: try review(db),
            recovering: try db.query(Self.recoveringJobs, [failedLimit]).map { row in
                RecoveringJob(id: try row.decode("id"), stage: try row.decode("stage"), subjectID: try row.decode("subject_id"),
                              state: try row.decode("state"), losses: try row.decode("losses"), maxLosses: try row.decode("max_losses"),
                              outages: try row.decode("outages"), maxOutages: try row.decode("max_outages"),
                              lastError: try row.decodeIfPresent("last_error"),
                              retriesAt: try row.decodeIfPresent("retries_at"))
            },
            failed: FailedItems(
                sourceVideos: try db.query(Self.failedSourceVideos, [list(failedVideoStates), failedLimit]).map { row in
                    FailedSourceVideo(id: try row.decode("id"), title: try row.decode("title"),
                                      sourceURI: URLRedaction.redacted(try row.decode("source_uri", as: String.self)), state: try row.decode("state"),
                                      errorMessage: try row.decodeIfPresent("error_message"),
                                      updatedAt: try row.decode("updated_at"))
                },
                clips: try db.query(Self.failedClips, [list(failedClipStates), failedLimit]).map { row in
                    FailedClip(id: try row.decode("id"), sourceVideoID: try row.decode("source_video_id"),
                               sourceTitle: try row.decode("title"), state: try row.decode("state"),
                               startSeconds: try row.decode("start_seconds"), endSeconds: try row.decode("end_seconds"),
                               errorMessage: try row.decodeIfPresent("error_message"),
                               updatedAt: try row.decode("updated_at"))
                },
                jobs: try db.query(Self.discardedJobs, [failedLimit]).map { row in
                    FailedJob(id: try row.decode("id"), stage: try row.decode("stage"), queue: try row.decode("queue"),
                              subjectType: try row.decode("subject_type"), subjectID: try row.decode("subject_id"),
                              attempt: try row.decode("attempt"), maxAttempts: try row.decode("max_attempts"),
                              errorCount: try row.decode("error_count"), lastError: try row.decodeIfPresent("last_error"),
                              lastErrorAttempt: try row.decodeIfPresent("last_error_attempt"),
                              finishedAt: try row.decodeIfPresent("finished_at"))
                }))
    }

    /// Pending merges and splits (soonest first), settling decisions, overdue landings.
    public static func review(_ db: PostgresConnection, limit: Int = 50) throws -> ReviewStatus {
        let pending = try db.query(Self.pendingReviews, [ReviewStatus.overdueSeconds, limit]).map { row in
            ReviewStatus.Pending(action: try row.decode("id"), kind: try row.decode("action"), clip: try row.decode("clip_id"),
                                 reviewer: try row.decode("reviewer"), landsAt: try row.decodeIfPresent("settles_at"),
                                 overdue: try row.decode("overdue"))
        }
        let settling = try ReviewActionQueries.settling(db, limit: limit).map {
            ReviewStatus.Settling(action: $0.id, kind: $0.action, clip: $0.clipID, reviewer: $0.reviewer, settlesAt: $0.settlesAt)
        }
        let counts = try db.query(Self.reviewCounts, [ReviewStatus.overdueSeconds]).first!
        return ReviewStatus(pending: pending, settling: try counts.decode("settling"), settlingActions: settling,
                            overdue: try counts.decode("overdue"))
    }

    /// Running jobs' stages and progress, longest running first.
    public static func running(_ db: PostgresConnection, limit: Int = 10) throws -> [(stage: String, progress: Double?)] {
        try db.query("SELECT stage, progress FROM jobs WHERE state = 'running' ORDER BY attempted_at LIMIT $1", [limit]).map {
            (try $0.decode("stage"), try $0.decodeIfPresent("progress"))
        }
    }

    /// The newest jobs first, optionally only those in `state` and of `stage`.
    public static func jobs(_ db: PostgresConnection, state: JobState? = nil, stage: String? = nil,
                            limit: Int = 50) throws -> JobListing {
        // One snapshot for both, so the count agrees with the rows listed while workers write.
        try db.transaction { tx in
            try tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            let rows = try tx.query(Self.listJobs, [state?.rawValue, stage, limit])
            let matching: Int = try tx.query(Self.matchingJobs, [state?.rawValue, stage]).first!.decode("matching")
            return JobListing(jobs: try rows.map(summary), matching: matching)
        }
    }

    /// One job, or nil when there is no job with that id.
    public static func job(_ db: PostgresConnection, id: Int64) throws -> JobSummary? {
        try db.query(Self.oneJob, [id]).first.map(summary)
    }

    /// The live (not final) job of the same stage and subject as job `id`, other than itself:
    /// the one that keeps `id` from being retried.
    public static func liveSibling(_ db: PostgresConnection, of id: Int64) throws -> Int64? {
        try db.query(Self.liveSiblingJob, [id]).first?.decode("id")
    }

    // MARK: - Decoding

    private static func counts(_ db: PostgresConnection, _ sql: String) throws -> [(state: String, count: Int)] {
        try db.query(sql).map { (try $0.decode("state"), try $0.decode("n")) }
    }

    private static func summary(_ row: PostgresRow) throws -> JobSummary {
        let state: String = try row.decode("state")
        guard let jobState = JobState(rawValue: state) else {
            throw DatabaseError(.decoding, "unknown job state \(state)")
        }
        return JobSummary(id: try row.decode("id"), stage: try row.decode("stage"), queue: try row.decode("queue"),
                          subjectType: try row.decode("subject_type"), subjectID: try row.decode("subject_id"),
                          state: jobState, priority: try row.decode("priority"), attempt: try row.decode("attempt"),
                          maxAttempts: try row.decode("max_attempts"), scheduledAt: try row.decode("scheduled_at"),
                          attemptedAt: try row.decodeIfPresent("attempted_at"),
                          finishedAt: try row.decodeIfPresent("finished_at"), createdAt: try row.decode("created_at"),
                          errorCount: try row.decode("error_count"), lastError: try row.decodeIfPresent("last_error"))
    }

    /// A list of plain state names bound as one parameter and split by the SQL.
    private static func list(_ values: [String]) -> String { values.joined(separator: ",") }

    // MARK: - SQL

    /// $1 overdue seconds, $2 limit. A landing is overdue when its job is live but not
    /// running this long after its time.
    static let pendingReviews = """
        SELECT a.id, a.action, a.clip_id, a.reviewer, a.settles_at,
               coalesce(j.state IN ('scheduled', 'available', 'retryable')
                        AND j.scheduled_at < now() - make_interval(secs => $1::float8), false) AS overdue
        FROM review_actions a LEFT JOIN jobs j ON j.id = a.job_id
        WHERE a.action IN ('merge', 'split') AND a.landed_at IS NULL AND a.failed_at IS NULL AND a.undone_at IS NULL
        ORDER BY a.settles_at, a.id LIMIT $2
        """

    /// $1 overdue seconds.
    static let reviewCounts = """
        SELECT (SELECT count(*) FROM review_actions
                WHERE action NOT IN ('merge', 'split', 'undo') AND undone_at IS NULL AND settles_at > now())::int AS settling,
               (SELECT count(*) FROM jobs WHERE stage = 'land_review' AND state IN ('scheduled', 'available', 'retryable')
                AND scheduled_at < now() - make_interval(secs => $1::float8))::int AS overdue
        """

    static let sourceVideoCounts = "SELECT state, count(*) AS n FROM source_videos GROUP BY state"

    /// $1 failure states (comma-separated), $2 limit.
    static let failedSourceVideos = """
        SELECT id, title, source_uri, state, error_message, updated_at FROM source_videos
        WHERE state = ANY(string_to_array($1, ','))
        ORDER BY updated_at DESC, id DESC LIMIT $2
        """

    /// $1 failure states (comma-separated), $2 limit. Live clips only.
    static let failedClips = """
        SELECT c.id, c.source_video_id, v.title, c.state, c.start_seconds, c.end_seconds, c.error_message, c.updated_at
        FROM clips c JOIN source_videos v ON v.id = c.source_video_id
        WHERE c.retired_at IS NULL AND c.state = ANY(string_to_array($1, ','))
        ORDER BY c.updated_at DESC, c.id DESC LIMIT $2
        """

    /// The `errors` array's count and newest entry ({attempt, at, worker, error}), read
    /// defensively: a malformed entry shows as no error rather than failing the whole report.
    private static let errorColumns = """
        CASE jsonb_typeof(errors) WHEN 'array' THEN jsonb_array_length(errors) ELSE 0 END AS error_count,
        errors -> -1 ->> 'error' AS last_error,
        CASE jsonb_typeof(errors -> -1 -> 'attempt') WHEN 'number'
             THEN (errors -> -1 ->> 'attempt')::numeric::integer END AS last_error_attempt
        """

    /// $1 limit.
    static let discardedJobs = """
        SELECT id, stage, queue, subject_type, subject_id, attempt, max_attempts, finished_at,
               \(errorColumns)
        FROM jobs WHERE state = 'discarded'
        ORDER BY finished_at DESC NULLS LAST, id DESC LIMIT $1
        """

    private static let jobColumns = """
        id, stage, queue, subject_type, subject_id, state, priority, attempt, max_attempts,
        scheduled_at, attempted_at, finished_at, created_at, \(errorColumns)
        """

    /// $1 state or NULL, $2 stage or NULL, $3 limit. `matching` counts every row the filters
    /// select, before the limit.
    static let listJobs = """
        SELECT \(jobColumns)
        FROM jobs
        WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR stage = $2)
        ORDER BY id DESC LIMIT $3
        """

    /// $1 state or NULL, $2 stage or NULL: how many jobs `listJobs` selects before its limit,
    /// from the counts migration 19 keeps (a window count read every finished job of the week).
    static let matchingJobs = """
        SELECT coalesce(sum(jobs), 0)::bigint AS matching FROM job_state_counts
        WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR stage = $2)
        """

    /// $1 id.
    static let oneJob = "SELECT \(jobColumns) FROM jobs WHERE id = $1"

    /// $1 id.
    static let liveSiblingJob = """
        SELECT live.id FROM jobs j JOIN jobs live
          ON live.stage = j.stage AND live.subject_type = j.subject_type AND live.subject_id = j.subject_id
         AND live.id <> j.id AND live.state IN (\(JobSQL.live))
        WHERE j.id = $1
        """
}
