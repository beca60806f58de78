import Foundation

/// The review rules, pure: (the clips a decision involves and their neighbours, a decision)
/// → an outcome or a refusal that says why; and (a written outcome, the clips now) → its
/// undo or a refusal naming what changed. The review service writes what these return.
public enum ReviewRules {
    /// Tags are short free text for batch work.
    public static let maximumTagLength = 64

    /// What `decision` does to `clips` (the clips it names and the live clips next to them).
    /// `seen` holds the versions the reviewer saw; a clip that changed since is refused.
    public static func decide(_ decision: ReviewDecision, clips: [ReviewClip],
                              seen: [Int64: Int] = [:]) -> Result<ReviewOutcome, ReviewRefusal> {
        Result { () throws(ReviewRefusal) in try outcome(decision, Clips(clips, seen: seen)) }
    }

    /// The undo of a written outcome, provided every clip it touched is still as it left
    /// them: `versionsAfter` holds each touched or created clip's version right after it.
    public static func undo(_ outcome: ReviewOutcome, createdIDs: [Int64], versionsAfter: [Int64: Int],
                            clips: [ReviewClip]) -> Result<ReviewInverse, ReviewRefusal> {
        let byID = Dictionary(clips.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let what = outcome.decision.kind.rawValue
        for update in outcome.updates {
            guard let clip = byID[update.clip], !clip.isRetired else {
                return .failure(ReviewRefusal("clip \(update.clip) no longer exists as the \(what) left it", clip: update.clip))
            }
            if let held = clip.heldBy {
                return .failure(ReviewRefusal("clip \(clip.id) is held by a scheduled action (\(held)): undo that first", clip: clip.id))
            }
            guard clip.fields == update.after, clip.version == versionsAfter[clip.id] else {
                return .failure(ReviewRefusal("clip \(clip.id) changed since the \(what) (it is \(clip.state.rawValue) now)",
                                              clip: clip.id))
            }
        }
        for id in createdIDs {
            guard let clip = byID[id], !clip.isRetired else {
                return .failure(ReviewRefusal("clip \(id), made by the \(what), is gone (merged or split since)", clip: id))
            }
            guard clip.state == .pendingReview, clip.heldBy == nil, clip.version == versionsAfter[id] else {
                let now = clip.heldBy != nil ? "part of a scheduled action" : clip.state.rawValue
                return .failure(ReviewRefusal("clip \(id), made by the \(what), was decided since (\(now)): undo that first",
                                              clip: id))
            }
        }
        for id in outcome.retired where byID[id].map({ !$0.isRetired }) ?? false {
            return .failure(ReviewRefusal("clip \(id) is live again already", clip: id))
        }
        return .success(outcome.inverse(createdIDs: createdIDs))
    }

    // MARK: - The decisions

    private static func outcome(_ decision: ReviewDecision, _ clips: Clips) throws(ReviewRefusal) -> ReviewOutcome {
        switch decision {
        case .archive(let id):
            // Archive is also the withdrawal of a clip already published (exported and later).
            let clip = try clips.decidable(id)
            if let activity = clip.state.activity {
                throw ReviewRefusal("clip \(id) is being \(activity) right now: archive it once that is done", clip: id)
            }
            guard clip.state == .pendingReview || clip.state.isWithdrawable else {
                throw ReviewRefusal("clip \(id) is \(clip.state.rawValue), not pending review or exported (archive takes "
                                    + "either): undo that decision first", clip: id)
            }
            var after = clip.fields
            after.state = .reviewArchived
            return ReviewOutcome(decision: decision, updates: [ClipUpdate(clip: id, before: clip.fields, after: after)])

        case .approve(let id), .skip(let id):
            let clip = try clips.undecided(id)
            var after = clip.fields
            after.state = decision.kind.decidedState!
            return ReviewOutcome(decision: decision, updates: [ClipUpdate(clip: id, before: clip.fields, after: after)])

        case .group(let id, let otherID):
            guard id != otherID else { throw ReviewRefusal("a clip cannot be grouped with itself", clip: id) }
            let clip = try clips.undecided(id)
            let other = try clips.decidable(otherID)
            try sameSource(clip, other)
            guard other.state == .pendingReview || other.state == .reviewApproved else {
                throw ReviewRefusal("clip \(otherID) is \(other.state.rawValue): a clip joins a group of undecided or approved clips",
                                    clip: otherID)
            }
            var after = clip.fields
            after.state = .reviewApproved
            after.groupedWith = otherID
            var updates = [ClipUpdate(clip: id, before: clip.fields, after: after)]
            if other.state == .pendingReview {
                var approved = other.fields
                approved.state = .reviewApproved
                updates.append(ClipUpdate(clip: otherID, before: other.fields, after: approved))
            }
            return ReviewOutcome(decision: decision, updates: updates)

        case .merge(let id, let otherID):
            guard id != otherID else { throw ReviewRefusal("a clip cannot be merged with itself", clip: id) }
            let clip = try clips.undecided(id)
            let other = try clips.undecided(otherID)
            try sameSource(clip, other)
            let (first, second) = clip.startFrame < other.startFrame ? (clip, other) : (other, clip)
            guard first.endFrame == second.startFrame else {
                throw ReviewRefusal("clips \(first.id) [\(first.startFrame), \(first.endFrame)) and \(second.id) "
                                    + "[\(second.startFrame), \(second.endFrame)) are not adjacent: only a clip and the clip "
                                    + "right before or after it merge", clip: second.id)
            }
            return ReviewOutcome(decision: decision, retired: [first.id, second.id],
                                 created: [ClipDraft(startFrame: first.startFrame, endFrame: second.endFrame,
                                                     tags: first.fields.tags + second.fields.tags)])

        case .split(let id, let frame):
            let clip = try clips.undecided(id)
            guard clip.startFrame < frame, frame < clip.endFrame else {
                let valid = clip.frameCount > 1 ? "frames \(clip.startFrame + 1)…\(clip.endFrame - 1)" : "none: it is one frame long"
                throw ReviewRefusal("frame \(frame) does not split clip \(id) [\(clip.startFrame), \(clip.endFrame)): "
                                    + "a split frame begins the second clip, so it must be one of \(valid)", clip: id)
            }
            return ReviewOutcome(decision: decision, retired: [id], created: [
                ClipDraft(startFrame: clip.startFrame, endFrame: frame, tags: clip.fields.tags),
                ClipDraft(startFrame: frame, endFrame: clip.endFrame, tags: clip.fields.tags),
            ])

        case .tag(let id, let text):
            let tag = try validTag(text)
            let clip = try clips.decidable(id)
            guard !clip.fields.tags.contains(tag) else { return ReviewOutcome(decision: .tag(clip: id, tag: tag)) }
            var after = clip.fields
            after.tags = Array(Set(after.tags + [tag])).sorted()
            return ReviewOutcome(decision: .tag(clip: id, tag: tag), updates: [ClipUpdate(clip: id, before: clip.fields, after: after)])

        case .untag(let id, let text):
            let tag = try validTag(text)
            let clip = try clips.decidable(id)
            guard clip.fields.tags.contains(tag) else { throw ReviewRefusal("clip \(id) has no tag \"\(tag)\"", clip: id) }
            var after = clip.fields
            after.tags.removeAll { $0 == tag }
            return ReviewOutcome(decision: .untag(clip: id, tag: tag), updates: [ClipUpdate(clip: id, before: clip.fields, after: after)])
        }
    }

    /// A tag as stored: trimmed, short, printable.
    public static func validTag(_ text: String) throws(ReviewRefusal) -> String {
        let tag = text.trimmingCharacters(in: .whitespaces)
        guard !tag.isEmpty else { throw ReviewRefusal("a tag cannot be empty") }
        guard tag.count <= maximumTagLength else { throw ReviewRefusal("a tag has at most \(maximumTagLength) characters") }
        guard !tag.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) else {
            throw ReviewRefusal("a tag cannot hold control characters")
        }
        return tag
    }

    private static func sameSource(_ a: ReviewClip, _ b: ReviewClip) throws(ReviewRefusal) {
        guard a.sourceID == b.sourceID else {
            throw ReviewRefusal("clips \(a.id) and \(b.id) belong to different sources (\(a.sourceID) and \(b.sourceID))", clip: b.id)
        }
    }

    /// The clips a decision may look at, with the checks every decision makes.
    private struct Clips {
        let byID: [Int64: ReviewClip]
        let seen: [Int64: Int]

        init(_ clips: [ReviewClip], seen: [Int64: Int]) {
            byID = Dictionary(clips.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            self.seen = seen
        }

        /// A live clip, not held by a scheduled action, as the reviewer saw it.
        func decidable(_ id: Int64) throws(ReviewRefusal) -> ReviewClip {
            guard let clip = byID[id] else { throw ReviewRefusal("there is no clip \(id)", clip: id) }
            guard !clip.isRetired else { throw ReviewRefusal("clip \(id) was retired by a merge or split", clip: id) }
            if let held = clip.heldBy {
                throw ReviewRefusal("clip \(id) is part of a scheduled merge or split (action \(held)): undo it or let it land",
                                    clip: id)
            }
            if let version = seen[id], version != clip.version {
                throw ReviewRefusal("clip \(id) changed since you saw it (it is \(clip.state.rawValue) now)", clip: id)
            }
            return clip
        }

        /// A decidable clip that is still pending review.
        func undecided(_ id: Int64) throws(ReviewRefusal) -> ReviewClip {
            let clip = try decidable(id)
            guard clip.state == .pendingReview else {
                throw ReviewRefusal("clip \(id) is \(clip.state.rawValue), not pending review: undo that decision first", clip: id)
            }
            return clip
        }
    }
}
