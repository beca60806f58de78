/// What a decision does, before anything is written: the clips it changes in place, and for
/// a merge or split the clips it retires and the new clips it creates. The review service
/// writes exactly this in one transaction; `inverse` says what undoing it would write.
public struct ReviewOutcome: Sendable, Equatable, Codable {
    public var decision: ReviewDecision
    /// Clips changed in place (state, tags, group), each once.
    public var updates: [ClipUpdate]
    /// Clips a merge or split replaces.
    public var retired: [Int64]
    /// New clips, in frame order.
    public var created: [ClipDraft]

    public init(decision: ReviewDecision, updates: [ClipUpdate] = [], retired: [Int64] = [], created: [ClipDraft] = []) {
        self.decision = decision
        self.updates = updates
        self.retired = retired
        self.created = created
    }

    /// Every existing clip the outcome touches (updated or retired).
    public var touched: [Int64] { updates.map(\.clip) + retired }

    /// The undo of this outcome once written: the updates reversed, the new clips (their
    /// ids, known once inserted) retired and the retired ones brought back.
    public func inverse(createdIDs: [Int64]) -> ReviewInverse {
        ReviewInverse(updates: updates.map { ClipUpdate(clip: $0.clip, before: $0.after, after: $0.before) },
                      retire: createdIDs, revive: retired)
    }
}

/// One clip's fields before and after a decision.
public struct ClipUpdate: Sendable, Equatable, Codable {
    public var clip: Int64
    public var before: ClipFields
    public var after: ClipFields

    public init(clip: Int64, before: ClipFields, after: ClipFields) {
        self.clip = clip
        self.before = before
        self.after = after
    }
}

/// A new virtual clip: frames `[startFrame, endFrame)`, undecided, with these tags.
public struct ClipDraft: Sendable, Equatable, Codable {
    public var startFrame: Int
    public var endFrame: Int
    public var tags: [String]

    public init(startFrame: Int, endFrame: Int, tags: [String]) {
        self.startFrame = startFrame
        self.endFrame = endFrame
        self.tags = Array(Set(tags)).sorted()
    }

    /// Seconds of a frame at the source's rate, as scene detection computes them.
    public static func seconds(_ frame: Int, framesPerSecond fps: Double) -> Double {
        Double(frame) / (fps > 0 ? fps : 25)
    }
}

/// What undoing a written outcome writes.
public struct ReviewInverse: Sendable, Equatable, Codable {
    public var updates: [ClipUpdate]
    /// The clips the decision created, retired again (`retired_by = undo`).
    public var retire: [Int64]
    /// The clips it retired, live again.
    public var revive: [Int64]

    public init(updates: [ClipUpdate] = [], retire: [Int64] = [], revive: [Int64] = []) {
        self.updates = updates
        self.retire = retire
        self.revive = revive
    }
}

/// Why a decision or an undo is refused: a message for the reviewer, and the clip that
/// blocks it (so the service can say who or what changed it).
public struct ReviewRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var clip: Int64?

    public init(_ message: String, clip: Int64? = nil) {
        self.message = message
        self.clip = clip
    }

    public var description: String { message }
}
