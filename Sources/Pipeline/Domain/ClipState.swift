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

    /// Approved and handed on, at rest between stages: a clip a reviewer can still withdraw
    /// by archiving it (its file, stills and vectors go; an export that failed has none yet).
    public var isWithdrawable: Bool {
        switch self {
        case .exported, .keyframed, .embedded, .exportFailed, .keyframeFailed, .embeddingFailed: true
        default: false
        }
    }

    /// A stage is working on the clip right now (what it is doing, for a message).
    public var activity: String? {
        switch self {
        case .exporting: "exported"
        case .keyframing: "keyframed"
        case .embedding: "embedded"
        default: nil
        }
    }
}
