import Domain

/// Statements that move a job's subject (a source video or a clip) between states, and the
/// dispatcher's query. Table names cannot be bound parameters, so each statement exists once
/// per subject table, as constant text.
enum SubjectSQL {
    struct Statements {
        /// $1 stage, $2 queue, $3 max attempts, $4 input states: one job per subject in
        /// an input state that has no live job for this stage.
        let dispatch: String
        /// $1 id, $2 working state, $3 states it may come from. No row: it moved on.
        let begin: String
        /// $1 id, $2 success state, $3 working or input states.
        let succeed: String
        /// $1 id, $2 failure state, $3 error message, $4 states it may come from.
        let markFailed: String
    }

    static let sourceVideos = make(table: "source_videos", live: "true", ready: "true", subject: .sourceVideo)
    /// A decided clip is handed on only once its undo window has passed (`settles_at`), so an
    /// approve or archive can be undone for the whole window without racing a worker.
    static let clips = make(table: "clips", live: "retired_at IS NULL", ready: "(settles_at IS NULL OR settles_at <= now())",
                            subject: .clip)

    static func statements(for subject: SubjectKind) -> Statements? {
        switch subject {
        case .sourceVideo: sourceVideos
        case .clip: clips
        case .none, .reviewAction: nil
        }
    }

    private static func make(table: StaticString, live: StaticString, ready: StaticString, subject: SubjectKind) -> Statements {
        let t = "\(table)", l = "\(live)", r = "\(ready)"
        return Statements(
            dispatch: """
                INSERT INTO jobs (stage, queue, subject_type, subject_id, max_attempts)
                SELECT $1, $2, '\(subject.rawValue)', id, $3 FROM \(t)
                WHERE state = ANY($4::text[]) AND \(l) AND \(r)
                ON CONFLICT (stage, subject_type, subject_id) WHERE state IN (\(JobSQL.live))
                DO NOTHING
                """,
            begin: "UPDATE \(t) SET state = $2 WHERE id = $1 AND state = ANY($3::text[]) AND \(l) RETURNING id",
            succeed: "UPDATE \(t) SET state = $2, error_message = NULL WHERE id = $1 AND state = ANY($3::text[]) RETURNING id",
            markFailed: """
                UPDATE \(t) SET state = $2, error_message = $3, retry_count = retry_count + 1
                WHERE id = $1 AND state = ANY($4::text[]) RETURNING id
                """)
    }
}

/// Moving a job's subject between states: what the stage table's transitions do, inside the
/// queue's transactions. A subject of kind `.none` has no row: nothing moves.
public enum SubjectQueries {
    /// One job per subject of `kind` waiting in `input` with no live job for `stage`;
    /// returns how many were created (0 on a second run).
    public static func dispatch(_ db: PostgresConnection, kind: SubjectKind, stage: String, queue: String,
                                maxAttempts: Int, input: [String]) throws -> Int {
        guard let sql = SubjectSQL.statements(for: kind) else { return 0 }
        return try db.execute(sql.dispatch, [stage, queue, maxAttempts, TextArray(input)])
    }

    /// Moves the subject to `working` if it is in one of `from`; false when it moved on.
    public static func begin(_ db: PostgresConnection, kind: SubjectKind, id: Int64, working: String,
                             from: [String]) throws -> Bool {
        guard let sql = SubjectSQL.statements(for: kind) else { return true }
        return try !db.query(sql.begin, [id, working, TextArray(from)]).isEmpty
    }

    /// Moves the subject to `state` (clearing its error) if it is in one of `from`.
    @discardableResult
    public static func succeed(_ db: PostgresConnection, kind: SubjectKind, id: Int64, state: String,
                               from: [String]) throws -> Bool {
        guard let sql = SubjectSQL.statements(for: kind) else { return false }
        return try !db.query(sql.succeed, [id, state, TextArray(from)]).isEmpty
    }

    /// Marks the subject failed with `message` if it is in one of `from`.
    @discardableResult
    public static func markFailed(_ db: PostgresConnection, kind: SubjectKind, id: Int64, state: String,
                                  message: String, from: [String]) throws -> Bool {
        guard let sql = SubjectSQL.statements(for: kind) else { return false }
        return try !db.query(sql.markFailed, [id, state, message, TextArray(from)]).isEmpty
    }
}
