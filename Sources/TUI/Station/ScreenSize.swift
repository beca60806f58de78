/// A terminal's size in cells.
public struct ScreenSize: Sendable, Hashable {
    public var rows: Int
    public var columns: Int

    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
    }

    /// The smallest size the station lays out for; smaller terminals get a notice instead.
    public static let minimum = ScreenSize(rows: 24, columns: 80)

    public var isUsable: Bool { rows >= Self.minimum.rows && columns >= Self.minimum.columns }
}
