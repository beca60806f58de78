/// A 24-bit colour.
public struct RGBColor: Sendable, Hashable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// From chafa's packed 0xRRGGBB.
    init(packed: Int32) {
        self.init(red: UInt8(truncatingIfNeeded: packed >> 16), green: UInt8(truncatingIfNeeded: packed >> 8),
                  blue: UInt8(truncatingIfNeeded: packed))
    }

    /// Rec. 601 luma, 0…255: enough to tell dark from light.
    public var luma: Double { 0.299 * Double(red) + 0.587 * Double(green) + 0.114 * Double(blue) }
}

/// One terminal cell: a glyph drawn in `foreground` over `background`.
public struct TerminalCell: Sendable, Hashable {
    /// The glyph; NUL marks the right half of a wide glyph that starts in the cell to the left.
    public var scalar: Unicode.Scalar
    public var foreground: RGBColor
    public var background: RGBColor

    public init(scalar: Unicode.Scalar, foreground: RGBColor, background: RGBColor) {
        self.scalar = scalar
        self.foreground = foreground
        self.background = background
    }
}

/// A picture as terminal cells, row by row: what the frame view copies into ncurses. A
/// picture in pixels has blank cells and the bytes that draw it (`graphic`), which the
/// screen writes after curses has drawn.
public struct CellGrid: Sendable, Hashable {
    public let width: Int
    public let height: Int
    /// `width × height` cells, row-major.
    public var cells: [TerminalCell]
    public var graphic: TerminalGraphic?

    public init(width: Int, height: Int, cells: [TerminalCell], graphic: TerminalGraphic? = nil) {
        precondition(cells.count == width * height, "a \(width)x\(height) grid needs \(width * height) cells")
        self.width = width
        self.height = height
        self.cells = cells
        self.graphic = graphic
    }

    /// A picture in pixels over `width × height` blank cells.
    public init(width: Int, height: Int, graphic: TerminalGraphic) {
        let blank = TerminalCell(scalar: " ", foreground: RGBColor(red: 0, green: 0, blue: 0), background: RGBColor(red: 0, green: 0, blue: 0))
        self.init(width: width, height: height, cells: Array(repeating: blank, count: width * height), graphic: graphic)
    }

    public subscript(x: Int, y: Int) -> TerminalCell {
        cells[y * width + x]
    }
}
