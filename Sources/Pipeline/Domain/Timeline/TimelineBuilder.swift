/// Which clips of a source a timeline holds.
public enum TimelineSelection: String, Sendable, CaseIterable {
    /// Approved clips and every state after approval (exported, embedded, a failed export…).
    case approved
    /// Those, plus skipped and archived ones, marked as not in the cut.
    case decided
    /// Every live clip: the detection as reviewed so far.
    case all

    /// Whether a clip in `state` is on the timeline, and whether it is marked (not in the cut).
    public func includes(_ state: ClipState) -> (included: Bool, marked: Bool) {
        let approved: Set<ClipState> = [.reviewApproved, .exporting, .exported, .exportFailed, .keyframing, .keyframed,
                                        .keyframeFailed, .embedding, .embedded, .embeddingFailed]
        let rejected: Set<ClipState> = [.reviewSkipped, .reviewArchived, .archived, .archiveFailed]
        switch self {
        case .approved: return (approved.contains(state), false)
        case .decided: return (approved.contains(state) || rejected.contains(state), rejected.contains(state))
        case .all: return (true, rejected.contains(state))
        }
    }
}

/// Which file each clip of a timeline references.
public enum TimelineMediaKind: String, Sendable, CaseIterable {
    /// The downloaded or submitted original (refused when its frame rate varies).
    case original
    /// The gold master (FFV1, the source's frames on a constant grid).
    case gold
    /// Each clip's exported file (its frames start at the file's first).
    case exported
}

/// A clip of the source as the database has it, before it is placed on a timeline.
public struct TimelineSourceClip: Sendable, Equatable {
    public var id: Int64
    public var startFrame: Int
    public var endFrame: Int
    public var state: ClipState
    public var groupID: Int64?
    public var tags: [String]
    /// The exported file, when the clip has one.
    public var exported: TimelineMedia?

    public init(id: Int64, startFrame: Int, endFrame: Int, state: ClipState, groupID: Int64?, tags: [String], exported: TimelineMedia?) {
        self.id = id
        self.startFrame = startFrame
        self.endFrame = endFrame
        self.state = state
        self.groupID = groupID
        self.tags = tags
        self.exported = exported
    }
}

/// Why a timeline cannot be made; each says what to do.
public enum TimelineError: Error, Equatable, CustomStringConvertible {
    case noClips(TimelineSelection)
    case notExported([Int64])
    case noSourceMedia(TimelineMediaKind)

    public var description: String {
        switch self {
        case .noClips(let selection):
            let hint = selection == .all ? "the source has no live clips (are its scenes detected?)"
                : "no clip of the source is \(selection == .approved ? "approved" : "decided") yet; --clips all lists every clip"
            return "nothing to put on the timeline: \(hint)"
        case .notExported(let ids):
            let shown = ids.prefix(10).map(String.init).joined(separator: ", ") + (ids.count > 10 ? ", …" : "")
            return "\(ids.count == 1 ? "clip" : "clips") \(shown) \(ids.count == 1 ? "is" : "are") not exported yet: "
                + "wait for the export, or use --media gold"
        case .noSourceMedia(let kind):
            return "the source has no \(kind == .original ? "stored original" : "gold master") yet: wait for preprocessing"
        }
    }
}

/// Places a source's clips on a timeline (pure: the database and storage give it the facts).
public enum TimelineBuilder {
    /// - Parameters:
    ///   - clips: the source's live clips, any order.
    ///   - sourceMedia: the original or the gold master; ignored for `.exported`.
    public static func build(name: String, rate: FrameRate, clips: [TimelineSourceClip], selection: TimelineSelection,
                             media kind: TimelineMediaKind, sourceMedia: TimelineMedia?, keepGaps: Bool,
                             dropFrame: Bool? = nil) throws(TimelineError) -> Timeline {
        let chosen = clips.sorted { $0.startFrame < $1.startFrame }.compactMap { clip -> (TimelineSourceClip, Bool)? in
            let (included, marked) = selection.includes(clip.state)
            return included ? (clip, marked) : nil
        }
        guard !chosen.isEmpty else { throw .noClips(selection) }
        if kind == .exported {
            let missing = chosen.filter { $0.0.exported == nil }.map(\.0.id)
            guard missing.isEmpty else { throw .notExported(missing) }
        } else if sourceMedia == nil {
            throw .noSourceMedia(kind)
        }
        var record = 0
        var placed: [TimelineClip] = []
        for (clip, marked) in chosen {
            let media = kind == .exported ? clip.exported! : sourceMedia!
            let length = clip.endFrame - clip.startFrame
            let sourceIn = kind == .exported ? 0 : clip.startFrame
            let start = keepGaps ? clip.startFrame : record
            placed.append(TimelineClip(clipID: clip.id, sourceStart: clip.startFrame, sourceEnd: clip.endFrame, media: media,
                                       sourceIn: sourceIn, sourceOut: sourceIn + length, recordStart: start,
                                       state: clip.state.rawValue, groupID: clip.groupID, tags: clip.tags, marked: marked))
            record = start + length
        }
        let hasAudio = placed.allSatisfy(\.media.hasAudio)
        // Drop-frame wherever the rate has it, unless the caller knows better (a source whose
        // own timecode is non-drop).
        return Timeline(name: name, rate: rate, dropFrame: rate.allowsDropFrame && (dropFrame ?? true), clips: placed, hasAudio: hasAudio, keepsGaps: keepGaps)
    }
}
