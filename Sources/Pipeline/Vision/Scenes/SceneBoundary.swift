/// Where one scene ends and the next begins.
public struct SceneBoundary: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A hard cut: the new scene's first frame differs from the previous one outright.
        case cut
        /// A cross-dissolve: the two shots blend over several frames.
        case dissolve
        /// A fade through black (or from/to black).
        case fade
    }

    /// The first frame of the new scene.
    public var frame: Int
    public var kind: Kind
    /// The transition's frames, inclusive (`start == end == frame` for a cut).
    public var start: Int
    public var end: Int

    public init(frame: Int, kind: Kind, start: Int? = nil, end: Int? = nil) {
        self.frame = frame
        self.kind = kind
        self.start = start ?? frame
        self.end = end ?? frame
    }
}
