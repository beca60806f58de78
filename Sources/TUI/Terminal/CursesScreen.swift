@preconcurrency import CNcursesw
import Foundation

/// The product's `Screen`: ncurses, cell by cell. Every draw erases and rewrites the whole
/// screen (curses sends only what changed), which also makes colour pairs safe to recycle:
/// `alloc_pair` may reuse a pair, and a reused pair repaints every cell that has it, but no
/// cell on screen keeps a pair from an earlier draw.
@MainActor
final class CursesScreen: Screen {
    private let session: CursesSession
    var theme: Theme
    let colors: ColorMode

    init(session: CursesSession, theme: Theme, colors: ColorMode) {
        self.session = session
        self.theme = theme
        self.colors = session.colorsEnabled ? colors : .none
    }

    var size: ScreenSize { let s = session.size; return ScreenSize(rows: s.rows, columns: s.columns) }

    func erase() { session.clearScreen() }

    func write(_ text: String, row: Int, column: Int, width: Int, slot: ThemeSlot) {
        let size = self.size
        guard row >= 0, row < size.rows, column >= 0, column < size.columns else { return }
        let fitted = DisplayText.fit(text, min(width, size.columns - column), ellipsis: false)
        let style = theme.style(slot)
        var attributes = heaters_A_NORMAL()
        if style.bold { attributes |= heaters_A_BOLD() }
        if style.reverse { attributes |= heaters_A_REVERSE() }
        if style.underline { attributes |= heaters_A_UNDERLINE() }
        if style.dim { attributes |= heaters_A_DIM() }
        var pair: Int32 = 0
        if colors != .none {
            pair = heaters_alloc_pair(ColorNumbers.number(style.foreground, mode: colors),
                                      ColorNumbers.number(style.background, mode: colors))
            if pair < 0 { pair = 0 }
        } else if slot == .selection || slot == .header || slot == .error || slot == .warning || slot == .pipeline {
            // Without colour the bars still stand out.
            attributes |= heaters_A_REVERSE()
        }
        _ = heaters_put_text(Int32(row), Int32(column), fitted, attributes, pair)
    }

    func draw(_ grid: CellGrid, row: Int, column: Int) {
        let size = self.size
        // Neighbouring cells mostly share colours: one pair lookup per colour pair in a picture.
        var pairs: [UInt64: Int32] = [:]
        for y in 0..<grid.height where row + y < size.rows {
            for x in 0..<grid.width where column + x < size.columns {
                let cell = grid[x, y]
                var pair: Int32 = 0
                if colors != .none {
                    let f = cell.foreground, b = cell.background
                    let key = UInt64(f.red) << 40 | UInt64(f.green) << 32 | UInt64(f.blue) << 24
                        | UInt64(b.red) << 16 | UInt64(b.green) << 8 | UInt64(b.blue)
                    if let known = pairs[key] {
                        pair = known
                    } else {
                        switch colors {
                        case .palette256:
                            pair = heaters_alloc_pair(Int32(ColorNumbers.nearest256(f.red, f.green, f.blue)),
                                                      Int32(ColorNumbers.nearest256(b.red, b.green, b.blue)))
                        default:
                            pair = heaters_alloc_pair(ColorNumbers.direct(f.red, f.green, f.blue),
                                                      ColorNumbers.direct(b.red, b.green, b.blue))
                        }
                        pairs[key] = pair
                    }
                }
                _ = heaters_put_cell(Int32(row + y), Int32(column + x), cell.scalar == "\0" ? 32 : cell.scalar.value, max(pair, 0))
            }
        }
    }

    func present() { session.present() }
}
