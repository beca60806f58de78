/// One picture the station wants drawn: a source frame at a size in cells, in symbols or,
/// where the terminal has a graphics protocol, in pixels.
public struct FrameKey: Sendable, Hashable {
    public var source: Int64
    public var frame: Int
    public var columns: Int
    public var rows: Int
    public var pixels: Bool

    public init(source: Int64, frame: Int, columns: Int, rows: Int, pixels: Bool = false) {
        self.source = source
        self.frame = frame
        self.columns = columns
        self.rows = rows
        self.pixels = pixels
    }
}

/// How soon a picture is needed: the one on screen first, pictures for the views around
/// it next, read-ahead (frames around the current one, neighbouring clips) last.
public enum FramePriority: Int, Sendable, Comparable {
    case now = 0, visible = 1, ahead = 2

    public static func < (a: FramePriority, b: FramePriority) -> Bool { a.rawValue < b.rawValue }
}
