/// Statements that move a stage's subject between states, and the dispatcher's query. Table
/// names cannot be bound parameters, so each statement exists once per subject table, as
/// constant text.
enum StageSQL {
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

    static func statements(for subject: Stage.Subject) -> Statements? {
        switch subject {
        case .sourceVideo: return make(table: "source_videos", live: "true")
        case .clip: return make(table: "clips", live: "retired_at IS NULL")
        case .none: return nil
        }
    }

    private static func make(table: StaticString, live: StaticString) -> Statements {
        let t = "\(table)", l = "\(live)"
        let subjectType = t == "clips" ? "clip" : "source_video"
        return Statements(
            dispatch: """
                INSERT INTO jobs (stage, queue, subject_type, subject_id, max_attempts)
                SELECT $1, $2, '\(subjectType)', id, $3 FROM \(t)
                WHERE state = ANY($4::text[]) AND \(l)
                ON CONFLICT (stage, subject_type, subject_id) WHERE state IN ('scheduled', 'available', 'running', 'retryable')
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
