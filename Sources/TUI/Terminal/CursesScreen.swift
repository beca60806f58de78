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
    /// Pictures in pixels drawn since the last erase, and those on the terminal now: curses
    /// does not know them, so they are written after its refresh, only when they changed.
    private var graphics: [GraphicPlacement] = []
    private var written: [GraphicPlacement] = []
    private var writtenSize: ScreenSize?

    init(session: CursesSession, theme: Theme, colors: ColorMode) {
        self.session = session
        self.theme = theme
        self.colors = session.colorsEnabled ? colors : .none
    }

    var size: ScreenSize { let s = session.size; return ScreenSize(rows: s.rows, columns: s.columns) }

    func erase() {
        session.clearScreen()
        graphics = []
    }

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
        if let graphic = grid.graphic {
            // Blank cells under the picture, so curses has nothing of its own to draw there.
            for y in 0..<grid.height where row + y < size.rows {
                for x in 0..<grid.width where column + x < size.columns { _ = heaters_put_cell(Int32(row + y), Int32(column + x), 32, 0) }
            }
            if row + grid.height <= size.rows, column + grid.width <= size.columns {
                graphics.append(GraphicPlacement(row: row, column: column, rows: grid.height, graphic: graphic))
            }
            return
        }
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

    func present() {
        session.present()
        let size = self.size
        if writtenSize != size { written = [] }
        writtenSize = size
        guard graphics != written else { return }
        var out: [UInt8] = []
        let kitty = (graphics + written).contains { $0.graphic.protocolName == .kitty }
        var fresh = graphics.filter { !written.contains($0) }
        if kitty {
            // Kitty pictures float over the text until deleted: all of them go, the current ones return.
            out += GraphicPlacement.deleteKitty
            fresh = graphics
        } else {
            // Sixel pixels stay in the cells until something is drawn over them; curses believes
            // those cells blank, so the lines of a picture gone are repainted by curses first.
            let stale = written.filter { !graphics.contains($0) }
            if !stale.isEmpty {
                for placement in stale { _ = wredrawln(stdscr, Int32(placement.row), Int32(placement.rows)) }
                session.present()
                fresh = graphics
            }
        }
        for placement in fresh { out += placement.bytes }
        written = graphics
        TerminalOutput.write(out)
    }

    /// Takes the kitty pictures off the screen (curses cannot): when the station closes.
    func removeGraphics() {
        if written.contains(where: { $0.graphic.protocolName == .kitty }) { TerminalOutput.write(GraphicPlacement.deleteKitty) }
        written = []
    }
}

/// A picture in pixels at a cell of the screen.
struct GraphicPlacement: Equatable {
    var row: Int
    var column: Int
    var rows: Int
    var graphic: TerminalGraphic

    /// The picture written from its top-left cell, the cursor put back where curses left it.
    var bytes: [UInt8] { Array("\u{1B}7\u{1B}[\(row + 1);\(column + 1)H".utf8) + graphic.bytes + Array("\u{1B}8".utf8) }

    /// Deletes every kitty picture and its data (no answer: no image id).
    static let deleteKitty = Array("\u{1B}_Ga=d,d=A\u{1B}\\".utf8)
}

/// Writes bytes to the terminal past curses (which has flushed its own), all of them.
enum TerminalOutput {
    static func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBufferPointer { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            guard count > 0 else { return }
            offset += count
        }
    }
}
