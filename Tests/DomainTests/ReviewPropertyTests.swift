import Testing
@testable import Domain

/// Over many random sequences of decisions, batches, scheduled merges and splits that land or
/// are cancelled, and undos, the live clips of the source always partition `[0, frameCount)`
/// exactly, and undoing the latest action restores the partition from before it.
@Suite struct ReviewPropertyTests {
    /// SplitMix64: a small seeded generator, so a failing sequence can be replayed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// One entry of the log: a written outcome (or a batch of them), with what undoing needs.
    struct Logged {
        var outcomes: [(ReviewOutcome, SourceClips.Written)]
        var partitionBefore: [SourceClips.Span]
        var undone = false
    }

    @Test func liveClipsAlwaysPartitionTheSourceAndUndoRestoresIt() {
        var rng = SeededGenerator(state: 20261201)
        var counts: [String: Int] = [:]
        for sequence in 0..<1_000 {
            let frameCount = Int.random(in: 2...400, using: &rng)
            let boundaries = (0..<Int.random(in: 0...8, using: &rng)).map { _ in Int.random(in: 1..<frameCount, using: &rng) }
            var source = SourceClips(sourceID: 1, frameCount: frameCount, boundaries: boundaries)
            var log: [Logged] = []
            var scheduled: (action: Int64, outcome: ReviewOutcome, held: [ReviewClip])?
            // Log entries whose `partitionBefore` is exactly the partition before them, the
            // latest on top: undoing the top one must restore it. Undoing an older one first
            // makes every later entry's snapshot stale.
            var exact: [Int] = []
            var nextAction: Int64 = 1000
            for step in 0..<40 {
                let roll = Int.random(in: 0..<100, using: &rng)
                if let pending = scheduled, roll < 25 {
                    // The scheduled merge or split lands, or is cancelled by an undo.
                    source.hold(pending.outcome.touched, for: nil)
                    if Bool.random(using: &rng) {
                        let before = source.partition
                        let written = source.write(pending.outcome)
                        log.append(Logged(outcomes: [(pending.outcome, written)], partitionBefore: before))
                        exact.append(log.count - 1)
                        counts["landed", default: 0] += 1
                    } else {
                        #expect(pending.held.map { source.clips[$0.id] } == pending.held.map { Optional($0) },
                                "a cancelled action leaves its clips as they were")
                        counts["cancelled", default: 0] += 1
                    }
                    scheduled = nil
                } else if roll < 45, let index = log.lastIndex(where: { !$0.undone }) {
                    // Undo the latest action that is not undone (sometimes an older one).
                    let pick = Bool.random(using: &rng) ? index : Int.random(in: 0...index, using: &rng)
                    if undo(&log[pick], in: &source) {
                        counts["undone", default: 0] += 1
                        if exact.last == pick {
                            exact.removeLast()
                            #expect(source.partition == log[pick].partitionBefore,
                                    "sequence \(sequence) step \(step): undo did not restore the partition")
                            counts["undo restored", default: 0] += 1
                        } else {
                            exact.removeAll()
                        }
                    } else {
                        counts["undo refused", default: 0] += 1
                    }
                } else if roll < 60 {
                    // A batch of immediate decisions on distinct clips: all or nothing.
                    let before = source.partition
                    var written: [(ReviewOutcome, SourceClips.Written)] = []
                    var trial = source
                    var ok = true
                    for clip in source.live.shuffled(using: &rng).prefix(Int.random(in: 2...4, using: &rng)) {
                        let decision = immediateDecision(on: clip, in: source, using: &rng)
                        switch ReviewRules.decide(decision, clips: trial.neighbourhood(of: decision.clips)) {
                        case .success(let outcome): written.append((outcome, trial.write(outcome)))
                        case .failure: ok = false
                        }
                        if !ok { break }
                    }
                    if ok, !written.isEmpty {
                        source = trial
                        log.append(Logged(outcomes: written, partitionBefore: before))
                        exact.append(log.count - 1)
                        counts["batch", default: 0] += 1
                    }
                } else {
                    let live = source.live
                    let clip = live.randomElement(using: &rng)!
                    let decision: ReviewDecision
                    switch Int.random(in: 0..<4, using: &rng) {
                    case 0: decision = .split(clip: clip.id, at: Int.random(in: clip.startFrame...clip.endFrame, using: &rng))
                    case 1: decision = .merge(clip: clip.id, with: live.randomElement(using: &rng)!.id)
                    default: decision = immediateDecision(on: clip, in: source, using: &rng)
                    }
                    guard case .success(let outcome) = ReviewRules.decide(decision, clips: source.neighbourhood(of: decision.clips)) else {
                        counts["refused", default: 0] += 1
                        continue
                    }
                    if decision.isScheduled {
                        guard scheduled == nil else { continue }
                        let held = outcome.touched.compactMap { source.clips[$0] }
                        source.hold(outcome.touched, for: nextAction)
                        scheduled = (nextAction, outcome, held)
                        nextAction += 1
                    } else {
                        let before = source.partition
                        log.append(Logged(outcomes: [(outcome, source.write(outcome))], partitionBefore: before))
                        exact.append(log.count - 1)
                    }
                    counts[decision.kind.rawValue, default: 0] += 1
                }
                #expect(source.isPartition, "sequence \(sequence) step \(step): live clips do not partition the source")
            }
        }
        // The sequences exercised every path, not only the easy ones.
        for path in ["landed", "cancelled", "undone", "undo restored", "undo refused", "batch", "refused", "split", "merge", "approve", "group", "tag"] {
            #expect(counts[path, default: 0] > 50, "only \(counts[path, default: 0]) × \(path)")
        }
    }

    func immediateDecision(on clip: ReviewClip, in source: SourceClips, using rng: inout SeededGenerator) -> ReviewDecision {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: .approve(clip: clip.id)
        case 1: .skip(clip: clip.id)
        case 2: .archive(clip: clip.id)
        case 3: .group(clip: clip.id, with: source.live.randomElement(using: &rng)!.id)
        case 4: .tag(clip: clip.id, tag: ["a", "b", "c"].randomElement(using: &rng)!)
        default: .untag(clip: clip.id, tag: ["a", "b", "c"].randomElement(using: &rng)!)
        }
    }

    /// Undoes every outcome of a log entry, all or nothing; false when refused.
    func undo(_ entry: inout Logged, in source: inout SourceClips) -> Bool {
        var trial = source
        for (outcome, written) in entry.outcomes.reversed() {
            guard case .success(let inverse) = ReviewRules.undo(outcome, createdIDs: written.createdIDs,
                                                                versionsAfter: written.versionsAfter,
                                                                clips: Array(trial.clips.values)) else { return false }
            trial.write(inverse)
        }
        source = trial
        entry.undone = true
        return true
    }
}
