/// The in-memory `Screen` of the tests: what would be on the terminal, as characters and the
/// slot each cell was written in (pictures mark their cells `nil`).
@MainActor
public final class GridScreen: Screen {
    public let size: ScreenSize
    public private(set) var characters: [[Character]]
    public private(set) var slots: [[ThemeSlot?]]
    public private(set) var presented = 0
    /// Pictures in pixels drawn since the last erase: where they start and their size in cells.
    public private(set) var graphics: [(row: Int, column: Int, columns: Int, rows: Int)] = []

    public init(size: ScreenSize) {
        self.size = size
        characters = Array(repeating: Array(repeating: " ", count: size.columns), count: size.rows)
        slots = Array(repeating: Array(repeating: nil, count: size.columns), count: size.rows)
    }

    public func erase() {
        graphics = []
        characters = Array(repeating: Array(repeating: " ", count: size.columns), count: size.rows)
        slots = Array(repeating: Array(repeating: nil, count: size.columns), count: size.rows)
    }

    public func write(_ text: String, row: Int, column: Int, width: Int, slot: ThemeSlot) {
        guard row >= 0, row < size.rows, column >= 0 else { return }
        var x = column
        let limit = min(size.columns, column + width)
        for scalar in DisplayText.fit(text, width, ellipsis: false).unicodeScalars {
            let w = DisplayText.cells(scalar)
            guard x + w <= limit else { break }
            if w == 0 { continue }
            characters[row][x] = Character(scalar)
            slots[row][x] = slot
            if w == 2, x + 1 < size.columns {
                characters[row][x + 1] = " "
                slots[row][x + 1] = slot
            }
            x += w
        }
    }

    public func draw(_ grid: CellGrid, row: Int, column: Int) {
        if grid.graphic != nil { graphics.append((row, column, grid.width, grid.height)) }
        for y in 0..<grid.height where row + y < size.rows {
            for x in 0..<grid.width where column + x < size.columns {
                let scalar = grid[x, y].scalar
                characters[row + y][column + x] = scalar == "\0" ? " " : Character(scalar)
                slots[row + y][column + x] = nil
            }
        }
    }

    public func present() { presented += 1 }

    /// The screen as text, one line per row, trailing spaces kept (a snapshot).
    public var text: String { characters.map { String($0) }.joined(separator: "\n") }

    public func line(_ row: Int) -> String { String(characters[row]) }
}
