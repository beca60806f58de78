/// A clip as the review rules see it: where it lies, where it is, and what it carries.
public struct ReviewClip: Sendable, Equatable, Codable {
    public var id: Int64
    public var sourceID: Int64
    /// Frames `[startFrame, endFrame)` of the source's proxy grid.
    public var startFrame: Int
    public var endFrame: Int
    public var fields: ClipFields
    /// Grows by one with every change to the row (the database's trigger does the same), so
    /// a decision or an undo can tell that the clip changed since someone looked at it.
    public var version: Int
    /// Retired by a merge, a split or the undo of one: history only.
    public var isRetired: Bool
    /// The scheduled merge or split (its action id) holding the clip until it lands.
    public var heldBy: Int64?

    public init(id: Int64, sourceID: Int64, startFrame: Int, endFrame: Int, fields: ClipFields, version: Int = 1,
                isRetired: Bool = false, heldBy: Int64? = nil) {
        self.id = id
        self.sourceID = sourceID
        self.startFrame = startFrame
        self.endFrame = endFrame
        self.fields = fields
        self.version = version
        self.isRetired = isRetired
        self.heldBy = heldBy
    }

    public var state: ClipState { fields.state }
    public var frames: Range<Int> { startFrame..<endFrame }
    public var frameCount: Int { endFrame - startFrame }
}

/// What a decision changes on a clip that stays: its state, its tags and its group.
public struct ClipFields: Sendable, Hashable, Codable {
    public var state: ClipState
    /// Sorted, no repeats.
    public var tags: [String]
    public var groupedWith: Int64?

    public init(state: ClipState = .pendingReview, tags: [String] = [], groupedWith: Int64? = nil) {
        self.state = state
        self.tags = Array(Set(tags)).sorted()
        self.groupedWith = groupedWith
    }

    enum CodingKeys: String, CodingKey {
        case state, tags
        case groupedWith = "grouped_with"
    }
}
