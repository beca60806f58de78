import Foundation

/// One row of the review log, `review_actions`.
public struct ReviewActionRow: Sendable, Equatable {
    public var id: Int64
    /// approve, skip, archive, group, merge, split, tag, untag or undo.
    public var action: String
    /// The clip the action is about (for a batch undo, the first undone action's clip).
    public var clipID: Int64
    public var reviewer: String
    public var sessionID: String?
    public var batchID: UUID?
    public var previousState: String?
    public var newState: String?
    /// What the review service recorded to undo it (JSON).
    public var payload: JSONText
    /// The scheduled job landing a merge or split.
    public var jobID: Int64?
    /// The end of the undo window; for a merge or split, when it lands.
    public var settlesAt: Date?
    public var landedAt: Date?
    public var failedAt: Date?
    public var error: String?
    public var undoneAt: Date?
    public var undoneBy: Int64?
    public var createdAt: Date

    /// A scheduled merge or split that has not landed, failed or been undone.
    public var isPending: Bool {
        (action == "merge" || action == "split") && landedAt == nil && failedAt == nil && undoneAt == nil
    }

    static let columns = """
        id, action, clip_id, reviewer, session_id, batch_id::text AS batch_id, previous_state, new_state, payload::text AS payload,
        job_id, settles_at, landed_at, failed_at, error, undone_at, undone_by, created_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        action = try row.decode("action")
        clipID = try row.decode("clip_id")
        reviewer = try row.decode("reviewer")
        sessionID = try row.decodeIfPresent("session_id")
        batchID = try row.decodeIfPresent("batch_id", as: String.self).flatMap(UUID.init(uuidString:))
        previousState = try row.decodeIfPresent("previous_state")
        newState = try row.decodeIfPresent("new_state")
        payload = try row.decode("payload")
        jobID = try row.decodeIfPresent("job_id")
        settlesAt = try row.decodeIfPresent("settles_at")
        landedAt = try row.decodeIfPresent("landed_at")
        failedAt = try row.decodeIfPresent("failed_at")
        error = try row.decodeIfPresent("error")
        undoneAt = try row.decodeIfPresent("undone_at")
        undoneBy = try row.decodeIfPresent("undone_by")
        createdAt = try row.decode("created_at")
    }
}

extension UUID: PostgresEncodable {
    public var postgresText: String? { uuidString.lowercased() }
}
