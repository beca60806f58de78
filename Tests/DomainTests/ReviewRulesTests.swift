import Testing
@testable import Domain

/// Every review rule, refusal and inverse, on a source of 300 frames cut at 100 and 200
/// (clips 1 [0, 100), 2 [100, 200), 3 [200, 300)).
@Suite struct ReviewRulesTests {
    static func source() -> SourceClips { SourceClips(frameCount: 300, boundaries: [100, 200]) }

    func decide(_ decision: ReviewDecision, in source: SourceClips, seen: [Int64: Int] = [:]) -> Result<ReviewOutcome, ReviewRefusal> {
        ReviewRules.decide(decision, clips: source.neighbourhood(of: decision.clips), seen: seen)
    }

    func refusal(_ decision: ReviewDecision, in source: SourceClips = source(), seen: [Int64: Int] = [:]) -> String? {
        if case .failure(let refusal) = decide(decision, in: source, seen: seen) { return refusal.message }
        return nil
    }

    @Test(arguments: [(ReviewDecision.approve(clip: 2), ClipState.reviewApproved),
                      (.skip(clip: 2), .reviewSkipped), (.archive(clip: 2), .reviewArchived)])
    func simpleDecisionsMoveAPendingClipAndUndoMovesItBack(decision: ReviewDecision, state: ClipState) throws {
        var source = Self.source()
        let before = source.partition
        let outcome = try decide(decision, in: source).get()
        #expect(outcome.updates == [ClipUpdate(clip: 2, before: ClipFields(), after: ClipFields(state: state))])
        #expect(outcome.retired.isEmpty && outcome.created.isEmpty && !decision.isScheduled)
        let written = source.write(outcome)
        #expect(source.clips[2]?.state == state)
        #expect(refusal(decision, in: source)?.contains("not pending review") == true, "a decided clip is not decided twice")
        let inverse = try ReviewRules.undo(outcome, createdIDs: written.createdIDs, versionsAfter: written.versionsAfter,
                                           clips: source.live).get()
        source.write(inverse)
        #expect(source.partition == before)
    }

    /// Archive is also the withdrawal of a published clip: from a state at rest after export,
    /// not while a stage works on it, and not from an approval still on its way to export.
    @Test(arguments: ClipState.allCases)
    func archiveWithdrawsAPublishedClip(state: ClipState) throws {
        let clip = ReviewClip(id: 2, sourceID: 1, startFrame: 100, endFrame: 200, fields: ClipFields(state: state, tags: ["x"]))
        let result = ReviewRules.decide(.archive(clip: 2), clips: [clip])
        switch state {
        case .pendingReview, .exported, .keyframed, .embedded, .exportFailed, .keyframeFailed, .embeddingFailed:
            let outcome = try result.get()
            #expect(outcome.updates == [ClipUpdate(clip: 2, before: clip.fields, after: ClipFields(state: .reviewArchived, tags: ["x"]))])
            let inverse = try ReviewRules.undo(outcome, createdIDs: [], versionsAfter: [2: 2],
                                               clips: [ReviewClip(id: 2, sourceID: 1, startFrame: 100, endFrame: 200,
                                                                  fields: outcome.updates[0].after, version: 2)]).get()
            #expect(inverse.updates.map(\.after.state) == [state], "the undo puts the clip back where it was")
        case .exporting, .keyframing, .embedding:
            guard case .failure(let refusal) = result else { Issue.record("archive of a \(state) clip was allowed"); return }
            #expect(refusal.message.contains("is being") && refusal.message.contains("once that is done"))
        default:
            guard case .failure(let refusal) = result else { Issue.record("archive of a \(state) clip was allowed"); return }
            #expect(refusal.message.contains("is \(state.rawValue), not pending review or exported"))
        }
    }

    @Test func groupApprovesBothAndLinksTheClip() throws {
        var source = Self.source()
        let outcome = try decide(.group(clip: 2, with: 1), in: source).get()
        source.write(outcome)
        #expect(source.clips[2]?.fields == ClipFields(state: .reviewApproved, groupedWith: 1))
        #expect(source.clips[1]?.fields == ClipFields(state: .reviewApproved))
        // An approved clip can take more members; the group's clip itself must be undecided.
        #expect(try decide(.group(clip: 3, with: 2), in: source).get().updates.map(\.clip) == [3])
        #expect(refusal(.group(clip: 2, with: 3), in: source)?.contains("not pending review") == true)
        #expect(refusal(.group(clip: 1, with: 1))?.contains("itself") == true)
    }

    @Test func mergeJoinsAdjacentUndecidedClipsEitherWayRound() throws {
        for decision in [ReviewDecision.merge(clip: 2, with: 1), .merge(clip: 1, with: 2)] {
            let outcome = try decide(decision, in: Self.source()).get()
            #expect(outcome.retired == [1, 2])
            #expect(outcome.created == [ClipDraft(startFrame: 0, endFrame: 200, tags: [])])
            #expect(decision.isScheduled)
        }
        #expect(refusal(.merge(clip: 1, with: 3))?.contains("not adjacent") == true)
        var source = Self.source()
        source.write(try decide(.approve(clip: 1), in: source).get())
        #expect(refusal(.merge(clip: 2, with: 1), in: source)?.contains("clip 1 is review_approved") == true)
    }

    @Test func mergeUnitesTagsAndSplitCopiesThem() throws {
        var source = Self.source()
        source.write(try decide(.tag(clip: 1, tag: "night"), in: source).get())
        source.write(try decide(.tag(clip: 2, tag: "crowd"), in: source).get())
        source.write(try decide(.tag(clip: 2, tag: "night"), in: source).get())
        #expect(try decide(.merge(clip: 2, with: 1), in: source).get().created.first?.tags == ["crowd", "night"])
        let split = try decide(.split(clip: 2, at: 150), in: source).get()
        #expect(split.created == [ClipDraft(startFrame: 100, endFrame: 150, tags: ["crowd", "night"]),
                                  ClipDraft(startFrame: 150, endFrame: 200, tags: ["crowd", "night"])])
        #expect(split.retired == [2])
    }

    @Test func splitFramesOutsideTheClipNameTheValidRange() {
        #expect(refusal(.split(clip: 2, at: 100)) == "frame 100 does not split clip 2 [100, 200): a split frame begins "
                + "the second clip, so it must be one of frames 101…199")
        #expect(refusal(.split(clip: 2, at: 200))?.contains("101…199") == true)
        #expect(refusal(.split(clip: 2, at: 5))?.contains("101…199") == true)
        #expect(refusal(.split(clip: 9, at: 150)) == "there is no clip 9")
    }

    @Test func tagsAreTrimmedValidatedAndIdempotent() throws {
        var source = Self.source()
        let outcome = try decide(.tag(clip: 1, tag: "  b-roll "), in: source).get()
        #expect(outcome.decision == .tag(clip: 1, tag: "b-roll"))
        source.write(outcome)
        #expect(try decide(.tag(clip: 1, tag: "b-roll"), in: source).get().updates.isEmpty, "tagging twice changes nothing")
        #expect(refusal(.untag(clip: 1, tag: "x")) == "clip 1 has no tag \"x\"")
        #expect(refusal(.tag(clip: 1, tag: "  ")) == "a tag cannot be empty")
        #expect(refusal(.tag(clip: 1, tag: "a\u{1B}[2J")) == "a tag cannot hold control characters")
        #expect(refusal(.tag(clip: 1, tag: String(repeating: "x", count: 65)))?.contains("at most 64") == true)
        source.write(try decide(.untag(clip: 1, tag: "b-roll"), in: source).get())
        #expect(source.clips[1]?.fields.tags == [])
    }

    @Test func differentSourcesNeverGroupOrMerge() {
        let a = ReviewClip(id: 1, sourceID: 1, startFrame: 0, endFrame: 10, fields: ClipFields())
        let b = ReviewClip(id: 2, sourceID: 2, startFrame: 10, endFrame: 20, fields: ClipFields())
        for decision in [ReviewDecision.merge(clip: 1, with: 2), .group(clip: 1, with: 2)] {
            guard case .failure(let refusal) = ReviewRules.decide(decision, clips: [a, b]) else {
                Issue.record("\(decision) was not refused"); continue
            }
            #expect(refusal.message == "clips 1 and 2 belong to different sources (1 and 2)")
        }
    }

    @Test func heldRetiredAndStaleClipsAreRefused() throws {
        var source = Self.source()
        source.hold([1, 2], for: 77)
        #expect(refusal(.approve(clip: 2), in: source)?.contains("scheduled merge or split (action 77)") == true)
        #expect(refusal(.merge(clip: 3, with: 2), in: source)?.contains("action 77") == true, "a neighbour cannot take it")
        source.hold([1, 2], for: nil)
        source.write(try decide(.split(clip: 3, at: 250), in: source).get())
        #expect(refusal(.approve(clip: 3), in: source) == "clip 3 was retired by a merge or split")
        #expect(refusal(.approve(clip: 1), in: source, seen: [1: 1]) == nil)
        source.write(try decide(.tag(clip: 1, tag: "t"), in: source).get())
        #expect(refusal(.approve(clip: 1), in: source, seen: [1: 1]) == "clip 1 changed since you saw it (it is pending_review now)")
    }

    @Test func aLandedSplitUndoesWhileItsClipsAreUndecided() throws {
        var source = Self.source()
        let before = source.partition
        let split = try decide(.split(clip: 2, at: 130), in: source).get()
        let written = source.write(split)
        #expect(source.isPartition && source.live.map(\.startFrame) == [0, 100, 130, 200])
        let inverse = try ReviewRules.undo(split, createdIDs: written.createdIDs, versionsAfter: written.versionsAfter,
                                           clips: Array(source.clips.values)).get()
        #expect(inverse.retire == written.createdIDs && inverse.revive == [2])
        source.write(inverse)
        #expect(source.partition == before)
    }

    @Test func anUndoIsRefusedNamingWhatChangedSince() throws {
        var source = Self.source()
        let split = try decide(.split(clip: 2, at: 130), in: source).get()
        let written = source.write(split)
        let first = written.createdIDs[0]
        source.write(try decide(.approve(clip: first), in: source).get())
        guard case .failure(let refusal) = ReviewRules.undo(split, createdIDs: written.createdIDs,
                                                           versionsAfter: written.versionsAfter, clips: Array(source.clips.values)) else {
            Issue.record("undo of a split whose clip was approved since was not refused"); return
        }
        #expect(refusal.clip == first)
        #expect(refusal.message == "clip \(first), made by the split, was decided since (review_approved): undo that first")

        var other = Self.source()
        let approve = try decide(.approve(clip: 1), in: other).get()
        let approved = other.write(approve)
        other.write(try decide(.tag(clip: 1, tag: "late"), in: other).get())
        guard case .failure(let changed) = ReviewRules.undo(approve, createdIDs: [], versionsAfter: approved.versionsAfter,
                                                           clips: other.live) else {
            Issue.record("undo of an approve followed by a tag was not refused"); return
        }
        #expect(changed.message == "clip 1 changed since the approve (it is review_approved now)")
    }
}
