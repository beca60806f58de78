/// Where a clip is in `pending_review → review_approved → exporting → exported → keyframing
/// → keyframed → embedding → embedded`, plus `review_skipped` (terminal),
/// `review_archived → archived` (cleanup) and the retryable `*_failed` states.
/// The database checks the same list.
public enum ClipState: String, CaseIterable, Sendable, Codable {
    case pendingReview = "pending_review"
    case reviewApproved = "review_approved"
    case reviewSkipped = "review_skipped"
    case reviewArchived = "review_archived"
    case exporting
    case exported
    case exportFailed = "export_failed"
    case keyframing
    case keyframed
    case keyframeFailed = "keyframe_failed"
    case embedding
    case embedded
    case embeddingFailed = "embedding_failed"
    case archived
    case archiveFailed = "archive_failed"

    public var isFailure: Bool { rawValue.hasSuffix("_failed") }

    /// States a reviewer can still decide on.
    public var isAwaitingReview: Bool { self == .pendingReview }
}
