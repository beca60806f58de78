import Domain

/// A library at the size the load benchmark and its test work at (`heaters bench load`,
/// LoadTests): many scene-detected sources cut into clips, loaded by a few INSERT … SELECT
/// generate_series statements (seconds for 100,000 clips) through the real schema, so every
/// constraint and trigger the pipeline's own rows meet checks these too.
///
/// Review went through the queue in its order (sources oldest first, frames in order), so the
/// decided clips are the first ones in that order and the rest are pending — the shape that
/// makes the queue's first page skip everything already decided. The sources' media is not in
/// storage: their proxies are named but absent. The jobs that made it are there, finished.
public enum LoadBenchmarkQueries {
    public struct Plan: Sendable {
        public var sources: Int
        public var clips: Int
        /// Frames per clip (at 25 fps).
        public var clipLength: Int
        /// How many clips, from the start of review order, were decided.
        public var decided: Int
        /// The decided clips' states, dealt in turn along review order.
        public var decidedStates: [ClipState]
        public var reviewer: String
        /// The loaded sources' source_uri, which tells them from the others.
        public var uri: String

        /// Most clips pending; a fifth decided: embedded, skipped, archived, and a few approved,
        /// exported and failed on export.
        public static let decidedMix: [ClipState] = [
            .embedded, .reviewSkipped, .embedded, .archived, .reviewSkipped, .embedded, .reviewApproved, .embedded,
            .reviewSkipped, .archived, .embedded, .reviewSkipped, .embedded, .exported, .reviewSkipped, .embedded,
            .archived, .reviewSkipped, .embedded, .exportFailed,
        ]

        public init(sources: Int = 200, clips: Int = 100_000, clipLength: Int = 75, decided: Int = 20_000,
                    decidedStates: [ClipState] = decidedMix, reviewer: String = "load", uri: String = "bench://load") {
            self.sources = sources
            self.clips = clips
            self.clipLength = clipLength
            self.decided = decided
            self.decidedStates = decidedStates
            self.reviewer = reviewer
            self.uri = uri
        }

        /// Clips per source: the clips are spread evenly, the last source taking what is left.
        public var clipsPerSource: Int { (clips + sources - 1) / sources }
    }

    /// States whose clip has its exported file (physical, `clip_key` set).
    static let physicalStates: [ClipState] = [.exported, .keyframing, .keyframed, .keyframeFailed, .embedding, .embedded,
                                              .embeddingFailed]

    /// Loads `plan` in one transaction; returns the new sources' ids in review order.
    @discardableResult
    public static func load(_ db: PostgresConnection, _ plan: Plan) throws -> [Int64] {
        precondition(plan.sources > 0 && plan.clips >= 0 && plan.clipLength > 0 && !plan.decidedStates.isEmpty)
        let perSource = plan.clipsPerSource
        return try db.transaction { tx in
            let sources = try tx.query(insertSources, [plan.uri, plan.sources, perSource * plan.clipLength])
                .map { try $0.decode("id", as: Int64.self) }.sorted()
            try tx.execute(insertClips, [plan.uri, plan.clips, perSource, plan.clipLength, plan.decided,
                                         TextArray(plan.decidedStates.map(\.rawValue)), TextArray(physicalStates.map(\.rawValue)),
                                         plan.reviewer])
            try tx.execute(insertDecisions, [plan.uri])
            try tx.execute(insertDecisionClips, [plan.uri])
            try tx.execute(insertFinishedJobs, [plan.uri])
            return sources
        }
    }

    /// What autovacuum leaves a minute after a bulk load: statistics, and the visibility map
    /// that index-only scans need. (VACUUM cannot run inside a transaction: one at a time.)
    public static func vacuum(_ db: PostgresConnection) throws {
        for statement in ["VACUUM (ANALYZE) source_videos", "VACUUM (ANALYZE) clips", "VACUUM (ANALYZE) review_actions",
                          "VACUUM (ANALYZE) review_action_clips", "VACUUM (ANALYZE) jobs"] {
            try db.execute(statement)
        }
    }

    // MARK: - SQL

    /// $1 uri, $2 sources, $3 frames per source. Ids are drawn first so the storage keys can
    /// name them, as the pipeline's do (`sources/<id>/…`).
    static let insertSources = """
        INSERT INTO source_videos (id, title, source_uri, state, original_key, gold_master_key, proxy_key, frame_index_key,
                                   frame_count, fps, duration_seconds, width, height, has_audio, variable_frame_rate)
        OVERRIDING SYSTEM VALUE
        SELECT s.id, 'Load source ' || s.n, $1, 'scenes_detected', 'sources/' || s.id || '/original.mp4',
               'sources/' || s.id || '/gold.mkv', 'sources/' || s.id || '/proxy.mp4', 'sources/' || s.id || '/proxy.index',
               $3::int, 25, $3::int / 25.0, 1920, 1080, true, false
        FROM (SELECT nextval(pg_get_serial_sequence('source_videos', 'id')) AS id, n FROM generate_series(1, $2::int) n) s
        RETURNING id
        """

    /// $1 uri, $2 clips, $3 clips per source, $4 clip length, $5 decided, $6 decided states,
    /// $7 physical states, $8 reviewer. Clip g is the g-th in review order: source g / $3,
    /// frames [(g % $3) · $4, (g % $3 + 1) · $4). Decided clips were decided 30 s apart, up to
    /// now, and their undo windows (60 s) have passed.
    static let insertClips = """
        WITH s AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM source_videos WHERE source_uri = $1),
        c AS (SELECT nextval(pg_get_serial_sequence('clips', 'id')) AS id, g, g % $3::int AS k,
                     CASE WHEN g < $5::int THEN ($6::text[])[g % cardinality($6::text[]) + 1] ELSE 'pending_review' END AS state,
                     CASE WHEN g < $5::int THEN now() - make_interval(secs => ($5::int - g) * 30 + 60) END AS reviewed_at
              FROM generate_series(0, $2::int - 1) g)
        INSERT INTO clips (id, source_video_id, start_frame, end_frame, start_seconds, end_seconds, state, is_virtual, clip_key,
                           reviewed_at, reviewed_by, settles_at, error_message)
        OVERRIDING SYSTEM VALUE
        SELECT c.id, s.id, c.k * $4::int, (c.k + 1) * $4::int, c.k * $4::int / 25.0, (c.k + 1) * $4::int / 25.0, c.state,
               NOT (c.state = ANY($7::text[])),
               CASE WHEN c.state = ANY($7::text[]) THEN 'clips/' || c.id || '/default.mp4' END,
               c.reviewed_at, CASE WHEN c.reviewed_at IS NOT NULL THEN $8 END, c.reviewed_at + interval '60 seconds',
               CASE WHEN c.state LIKE '%\\_failed' THEN 'load benchmark: the gold master is not in storage' END
        FROM c JOIN s ON s.n = c.g / $3::int
        ORDER BY c.g
        """

    /// $1 uri. The review log: one decision per decided clip, as the review service writes it.
    static let insertDecisions = """
        INSERT INTO review_actions (clip_id, action, reviewer, previous_state, new_state, settles_at, created_at)
        SELECT c.id, d.action, c.reviewed_by, 'pending_review', d.new_state, c.settles_at, c.reviewed_at
        FROM clips c JOIN source_videos v ON v.id = c.source_video_id,
             LATERAL (SELECT CASE c.state WHEN 'review_skipped' THEN 'skip' WHEN 'archived' THEN 'archive' ELSE 'approve' END AS action,
                             CASE c.state WHEN 'review_skipped' THEN 'review_skipped' WHEN 'archived' THEN 'review_archived'
                                          ELSE 'review_approved' END AS new_state) d
        WHERE v.source_uri = $1 AND c.reviewed_at IS NOT NULL
        ORDER BY c.reviewed_at
        """

    /// $1 uri. The finished jobs that made this library, as the queue keeps them for a week
    /// (JobQueue.prune): each source's download, preprocess and scene detection; each
    /// decision's landing; each decided clip's export, keyframe and embed as far as its state
    /// went (the export discarded for a clip that failed it), each archived clip's archive.
    static let insertFinishedJobs = """
        WITH v AS (SELECT id FROM source_videos WHERE source_uri = $1),
        c AS (SELECT c.id, c.state FROM clips c JOIN v ON v.id = c.source_video_id WHERE c.reviewed_at IS NOT NULL),
        j AS (
            SELECT s.stage, 'source_video' AS subject_type, v.id AS subject_id, false AS failed
            FROM v, unnest(ARRAY['download', 'preprocess', 'detect_scenes']) AS s(stage)
            UNION ALL
            SELECT 'land_review', 'review_action', a.id, false FROM review_actions a JOIN c ON c.id = a.clip_id
            UNION ALL
            SELECT st.stage, 'clip', c.id, c.state = 'export_failed'
            FROM c, unnest(CASE c.state WHEN 'exported' THEN ARRAY['export'] WHEN 'export_failed' THEN ARRAY['export']
                                        WHEN 'embedded' THEN ARRAY['export', 'keyframe', 'embed']
                                        WHEN 'archived' THEN ARRAY['archive'] ELSE ARRAY[]::text[] END) AS st(stage)
        )
        INSERT INTO jobs (stage, subject_type, subject_id, state, attempt, max_attempts, finished_at, errors)
        SELECT stage, subject_type, subject_id, CASE WHEN failed THEN 'discarded' ELSE 'completed' END,
               CASE WHEN failed THEN 3 ELSE 1 END, 3, now() - interval '1 hour',
               CASE WHEN failed THEN '[{"attempt": 3, "error": "load benchmark: the gold master is not in storage"}]'::jsonb
                    ELSE '[]'::jsonb END
        FROM j
        """

    /// $1 uri. Each decision's clip and its version right after it.
    static let insertDecisionClips = """
        INSERT INTO review_action_clips (action_id, clip_id, role, version_after)
        SELECT a.id, a.clip_id, 'touched', c.version
        FROM review_actions a JOIN clips c ON c.id = a.clip_id JOIN source_videos v ON v.id = c.source_video_id
        WHERE v.source_uri = $1
        """
}

extension LoadBenchmarkQueries {
    /// The reference the load benchmark sets its figures beside: one clip by primary key, the
    /// cheapest statement a round trip can carry on the same server and connection.
    public static func clipByID(_ db: PostgresConnection, id: Int64) throws -> String? {
        try db.query("SELECT state FROM clips WHERE id = $1", [id]).first?.decode("state")
    }

    /// The loaded clips' id range (the reference picks its ids from it).
    public static func clipIDs(_ db: PostgresConnection, uri: String) throws -> ClosedRange<Int64>? {
        guard let row = try db.query("""
            SELECT min(c.id) AS lo, max(c.id) AS hi FROM clips c JOIN source_videos v ON v.id = c.source_video_id
            WHERE v.source_uri = $1
            """, [uri]).first,
              let lo: Int64 = try row.decodeIfPresent("lo"), let hi: Int64 = try row.decodeIfPresent("hi") else { return nil }
        return lo...hi
    }
}
