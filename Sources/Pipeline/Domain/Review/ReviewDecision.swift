/// A reviewer's decision about one clip (the *primary* clip) and, for group and merge, one
/// other clip of the same source. Frames are 0-based frames of the source's proxy grid.
public enum ReviewDecision: Sendable, Hashable, Codable {
    /// `pending_review` → `review_approved`.
    case approve(clip: Int64)
    /// `pending_review` → `review_skipped` (terminal).
    case skip(clip: Int64)
    /// `pending_review` → `review_archived` (its files, keyframes and embeddings go later).
    case archive(clip: Int64)
    /// Both clips → `review_approved`, the clip linked to `with` by `grouped_with_clip_id`.
    case group(clip: Int64, with: Int64)
    /// The clip and an adjacent one (either side; both undecided) become one new clip.
    case merge(clip: Int64, with: Int64)
    /// Two new clips `[start, frame)` and `[frame, end)`; `frame` is a source frame.
    case split(clip: Int64, at: Int)
    case tag(clip: Int64, tag: String)
    case untag(clip: Int64, tag: String)

    public var kind: ReviewActionKind {
        switch self {
        case .approve: .approve
        case .skip: .skip
        case .archive: .archive
        case .group: .group
        case .merge: .merge
        case .split: .split
        case .tag: .tag
        case .untag: .untag
        }
    }

    /// The clip the decision is about.
    public var clip: Int64 {
        switch self {
        case .approve(let clip), .skip(let clip), .archive(let clip), .group(let clip, _), .merge(let clip, _),
             .split(let clip, _), .tag(let clip, _), .untag(let clip, _):
            clip
        }
    }

    /// The other clip of a group or merge.
    public var otherClip: Int64? {
        switch self {
        case .group(_, let other), .merge(_, let other): other
        default: nil
        }
    }

    /// Every clip the decision names.
    public var clips: [Int64] { [clip] + (otherClip.map { [$0] } ?? []) }

    /// Merge and split land an undo window later (a scheduled job); the rest apply at once.
    public var isScheduled: Bool { kind == .merge || kind == .split }
}

/// What the review log calls each action (`review_actions.action`).
public enum ReviewActionKind: String, Sendable, CaseIterable, Codable {
    case approve, skip, archive, group, merge, split, tag, untag, undo

    /// The state a decision of this kind moves a pending clip to, where it moves one.
    public var decidedState: ClipState? {
        switch self {
        case .approve, .group: .reviewApproved
        case .skip: .reviewSkipped
        case .archive: .reviewArchived
        default: nil
        }
    }
}
