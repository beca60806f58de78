/// The clips of one source in memory, with outcomes written the way the review service
/// writes them in the database: every change bumps a clip's version, new clips start at
/// version 1, a scheduled merge or split holds its clips until it lands. The reference model
/// of the rules: tests check on it that the live clips always partition the source.
public struct SourceClips: Sendable, Equatable {
    public let sourceID: Int64
    public let frameCount: Int
    public private(set) var clips: [Int64: ReviewClip] = [:]
    private var nextID: Int64

    /// A source cut into scenes at `boundaries` (as scene detection leaves it).
    public init(sourceID: Int64 = 1, frameCount: Int, boundaries: [Int], firstID: Int64 = 1) {
        self.sourceID = sourceID
        self.frameCount = frameCount
        nextID = firstID
        let cuts = Set(boundaries.filter { $0 > 0 && $0 < frameCount }).sorted()
        for (start, end) in zip([0] + cuts, cuts + [frameCount]) where frameCount > 0 {
            insert(start, end, tags: [])
        }
    }

    /// Live clips in frame order.
    public var live: [ReviewClip] { clips.values.filter { !$0.isRetired }.sorted { $0.startFrame < $1.startFrame } }

    /// True when the live clips cover `[0, frameCount)` exactly: no gap, no overlap.
    public var isPartition: Bool {
        var next = 0
        for clip in live {
            guard clip.startFrame == next, clip.endFrame > clip.startFrame else { return false }
            next = clip.endFrame
        }
        return next == frameCount
    }

    /// The live clips as spans and fields: what a reviewer sees of the source.
    public var partition: [Span] { live.map { Span(startFrame: $0.startFrame, endFrame: $0.endFrame, fields: $0.fields) } }

    public struct Span: Sendable, Hashable {
        public var startFrame: Int
        public var endFrame: Int
        public var fields: ClipFields
    }

    /// The clips a decision on `ids` needs: those clips and the live clips either side.
    public func neighbourhood(of ids: [Int64]) -> [ReviewClip] {
        let live = self.live
        var picked: [Int64: ReviewClip] = [:]
        for id in ids {
            guard let clip = clips[id] else { continue }
            picked[id] = clip
            for other in live where other.endFrame == clip.startFrame || other.startFrame == clip.endFrame {
                picked[other.id] = other
            }
        }
        return Array(picked.values)
    }

    /// What writing an outcome produced: each touched or created clip's version after it,
    /// and the ids of the created clips.
    public struct Written: Sendable, Equatable {
        public var versionsAfter: [Int64: Int]
        public var createdIDs: [Int64]
    }

    /// Writes an outcome at once (a decision, or a scheduled one landing).
    @discardableResult
    public mutating func write(_ outcome: ReviewOutcome) -> Written {
        var versions: [Int64: Int] = [:]
        for update in outcome.updates {
            clips[update.clip]?.fields = update.after
            versions[update.clip] = bump(update.clip)
        }
        for id in outcome.retired {
            clips[id]?.isRetired = true
            clips[id]?.heldBy = nil
            versions[id] = bump(id)
        }
        var created: [Int64] = []
        for draft in outcome.created {
            let id = insert(draft.startFrame, draft.endFrame, tags: draft.tags)
            created.append(id)
            versions[id] = 1
        }
        return Written(versionsAfter: versions, createdIDs: created)
    }

    /// Writes an undo.
    public mutating func write(_ inverse: ReviewInverse) {
        for update in inverse.updates {
            clips[update.clip]?.fields = update.after
            bump(update.clip)
        }
        for id in inverse.retire {
            clips[id]?.isRetired = true
            bump(id)
        }
        for id in inverse.revive {
            clips[id]?.isRetired = false
            bump(id)
        }
    }

    /// Holds (or, with nil, releases) clips for a scheduled action; a hold is not a change
    /// of the clip, so versions stay.
    public mutating func hold(_ ids: [Int64], for action: Int64?) {
        for id in ids { clips[id]?.heldBy = action }
    }

    @discardableResult
    private mutating func insert(_ start: Int, _ end: Int, tags: [String]) -> Int64 {
        let id = nextID
        nextID += 1
        clips[id] = ReviewClip(id: id, sourceID: sourceID, startFrame: start, endFrame: end, fields: ClipFields(tags: tags))
        return id
    }

    @discardableResult
    private mutating func bump(_ id: Int64) -> Int {
        clips[id]?.version += 1
        return clips[id]?.version ?? 0
    }
}
