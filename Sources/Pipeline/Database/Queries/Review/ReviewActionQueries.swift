import Foundation

/// The review log and the holds of scheduled merges and splits.
public enum ReviewActionQueries {
    /// A new log row; returns its id and the end of its undo window (`settleSeconds` from
    /// the server's now, so every machine agrees on it).
    public struct NewAction: Sendable {
        public var action: String
        public var clipID: Int64
        public var reviewer: String
        public var sessionID: String?
        public var batchID: UUID?
        public var requestID: UUID?
        public var requestSeq: Int
        public var previousState: String?
        public var newState: String?
        public var payload: JSONText
        public var settleSeconds: Double

        public init(action: String, clipID: Int64, reviewer: String, sessionID: String?, batchID: UUID?, requestID: UUID?,
                    requestSeq: Int, previousState: String?, newState: String?, payload: JSONText, settleSeconds: Double) {
            self.action = action
            self.clipID = clipID
            self.reviewer = reviewer
            self.sessionID = sessionID
            self.batchID = batchID
            self.requestID = requestID
            self.requestSeq = requestSeq
            self.previousState = previousState
            self.newState = newState
            self.payload = payload
            self.settleSeconds = settleSeconds
        }
    }

    public static func insert(_ tx: PostgresConnection, _ action: NewAction) throws -> (id: Int64, settlesAt: Date) {
        let row = try tx.query("""
            INSERT INTO review_actions (action, clip_id, reviewer, session_id, batch_id, request_id, request_seq,
                                        previous_state, new_state, payload, settles_at)
            VALUES ($1, $2, $3, $4, $5::uuid, $6::uuid, $7, $8, $9, $10::jsonb, now() + make_interval(secs => $11::float8))
            RETURNING id, settles_at
            """, [action.action, action.clipID, action.reviewer, action.sessionID, action.batchID, action.requestID,
                  action.requestSeq, action.previousState, action.newState, action.payload, action.settleSeconds]).first!
        return (try row.decode("id"), try row.decode("settles_at"))
    }

    /// The actions an earlier call with this request id wrote, in request order.
    public static func byRequest(_ db: PostgresConnection, _ request: UUID) throws -> [ReviewActionRow] {
        try db.query("SELECT \(ReviewActionRow.columns) FROM review_actions WHERE request_id = $1::uuid ORDER BY request_seq",
                     [request]).map(ReviewActionRow.init(row:))
    }

    public static func setJob(_ tx: PostgresConnection, action: Int64, job: Int64) throws {
        try tx.execute("UPDATE review_actions SET job_id = $2 WHERE id = $1", [action, job])
    }

    /// A clip an action touched or created, and its version right after (nil until landed).
    public struct ActionClip: Sendable, Equatable {
        public var clipID: Int64
        public var created: Bool
        public var versionAfter: Int?

        public init(clipID: Int64, created: Bool, versionAfter: Int?) {
            self.clipID = clipID
            self.created = created
            self.versionAfter = versionAfter
        }
    }

    /// Records (or, for clips already recorded, updates) the clips of an action.
    public static func recordClips(_ tx: PostgresConnection, action: Int64, _ clips: [ActionClip]) throws {
        for clip in clips {
            try tx.execute("""
                INSERT INTO review_action_clips (action_id, clip_id, role, version_after) VALUES ($1, $2, $3, $4)
                ON CONFLICT (action_id, clip_id) DO UPDATE SET version_after = EXCLUDED.version_after
                """, [action, clip.clipID, clip.created ? "created" : "touched", clip.versionAfter])
        }
    }

    public static func clips(_ db: PostgresConnection, action: Int64) throws -> [ActionClip] {
        try db.query("SELECT clip_id, role, version_after FROM review_action_clips WHERE action_id = $1 ORDER BY clip_id",
                     [action]).map {
            ActionClip(clipID: try $0.decode("clip_id"), created: try $0.decode("role", as: String.self) == "created",
                       versionAfter: try $0.decodeIfPresent("version_after"))
        }
    }

    /// Actions by id, locked for the transaction (in id order).
    public static func locked(_ tx: PostgresConnection, ids: [Int64]) throws -> [ReviewActionRow] {
        try tx.query("SELECT \(ReviewActionRow.columns) FROM review_actions WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE",
                     [TextArray(ids)]).map(ReviewActionRow.init(row:))
    }

    public static func action(_ db: PostgresConnection, id: Int64) throws -> ReviewActionRow? {
        try db.query("SELECT \(ReviewActionRow.columns) FROM review_actions WHERE id = $1", [id]).first.map(ReviewActionRow.init(row:))
    }

    /// The ids of a batch's actions.
    public static func batch(_ db: PostgresConnection, _ batch: UUID) throws -> [Int64] {
        try db.query("SELECT id FROM review_actions WHERE batch_id = $1::uuid ORDER BY id", [batch]).map { try $0.decode("id") }
    }

    /// The reviewer's newest decision that is neither undone nor failed.
    public static func latestUndoable(_ db: PostgresConnection, reviewer: String) throws -> Int64? {
        try db.query("""
            SELECT id FROM review_actions
            WHERE reviewer = $1 AND action <> 'undo' AND undone_at IS NULL AND failed_at IS NULL
            ORDER BY id DESC LIMIT 1
            """, [reviewer]).first?.decode("id")
    }

    public static func markLanded(_ tx: PostgresConnection, action: Int64, payload: JSONText) throws {
        try tx.execute("UPDATE review_actions SET landed_at = now(), payload = $2::jsonb WHERE id = $1", [action, payload])
    }

    public static func markFailed(_ tx: PostgresConnection, action: Int64, error: String) throws {
        try tx.execute("UPDATE review_actions SET failed_at = now(), error = $2 WHERE id = $1 AND landed_at IS NULL", [action, error])
    }

    public static func markUndone(_ tx: PostgresConnection, actions: [Int64], by undo: Int64) throws {
        try tx.execute("UPDATE review_actions SET undone_at = now(), undone_by = $2 WHERE id = ANY($1::bigint[])",
                       [TextArray(actions), undo])
    }

    /// The newest action that touched or created `clip` after action `after`.
    public static func lastTouch(_ db: PostgresConnection, clip: Int64, after: Int64) throws -> ReviewActionRow? {
        try db.query("""
            SELECT \(ReviewActionRow.columns) FROM review_actions
            WHERE id > $2 AND id IN (SELECT action_id FROM review_action_clips WHERE clip_id = $1)
            ORDER BY id DESC LIMIT 1
            """, [clip, after]).first.map(ReviewActionRow.init(row:))
    }

    /// The log, newest first: everyone's or one reviewer's, or a clip's.
    public static func log(_ db: PostgresConnection, reviewer: String? = nil, clip: Int64? = nil,
                           limit: Int = 50) throws -> [ReviewActionRow] {
        try db.query("""
            SELECT \(ReviewActionRow.columns) FROM review_actions
            WHERE ($1::text IS NULL OR reviewer = $1)
              AND ($2::bigint IS NULL OR id IN (SELECT action_id FROM review_action_clips WHERE clip_id = $2) OR clip_id = $2)
            ORDER BY id DESC LIMIT $3
            """, [reviewer, clip, limit]).map(ReviewActionRow.init(row:))
    }

    /// Decisions (not merges or splits) still inside their undo window.
    public static func settling(_ db: PostgresConnection, limit: Int = 100) throws -> [ReviewActionRow] {
        try db.query(settlingActions, [limit]).map(ReviewActionRow.init(row:))
    }

    /// $1 limit. The predicate is review_actions_settling_idx's (migration 17).
    static let settlingActions = """
        SELECT \(ReviewActionRow.columns) FROM review_actions
        WHERE action NOT IN ('merge', 'split', 'undo') AND undone_at IS NULL AND settles_at > now()
        ORDER BY settles_at, id LIMIT $1
        """

    // MARK: - Holds

    /// Holds `clips` for a scheduled action; the primary key makes a second hold impossible.
    public static func hold(_ tx: PostgresConnection, clips: [Int64], action: Int64) throws {
        try tx.execute("INSERT INTO review_holds (clip_id, action_id) SELECT unnest($1::bigint[]), $2",
                       [TextArray(clips), action])
    }

    /// Releases an action's holds; returns how many there were.
    @discardableResult
    public static func release(_ tx: PostgresConnection, action: Int64) throws -> Int {
        try tx.execute("DELETE FROM review_holds WHERE action_id = $1", [action])
    }
}
