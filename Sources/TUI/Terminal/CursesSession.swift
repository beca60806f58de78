@preconcurrency import CNcursesw
import Foundation

/// The ncurses session: set up on entry, always restored on exit. Only the main thread
/// may touch it; everything slow happens elsewhere and arrives through a `WakeupPipe`.
@MainActor
final class CursesSession {
    private(set) var colorsEnabled = false

    init() {
        setlocale(LC_ALL, "")
        initscr()
        cbreak()
        noecho()
        keypad(stdscr, true)
        nodelay(stdscr, true)
        curs_set(0)
        // NO_COLOR (no-color.org) turns colour off whatever the terminal can do.
        if ProcessInfo.processInfo.environment["NO_COLOR"] == nil, has_colors() {
            start_color()
            use_default_colors()
            init_pair(1, Int16(COLOR_CYAN), -1)
            init_pair(2, Int16(COLOR_YELLOW), -1)
            colorsEnabled = true
        }
    }

    func close() { endwin() }

    var size: (rows: Int, columns: Int) { (Int(getmaxy(stdscr)), Int(getmaxx(stdscr))) }

    /// The next key, or nil when none is waiting.
    func nextKey() -> Int32? {
        let key = getch()
        return key == heaters_ERR() ? nil : key
    }

    func clearScreen() { erase() }

    /// Draws `text` at a cell, cut to the screen's width.
    func draw(_ text: String, row: Int, column: Int = 0, bold: Bool = false, reverse: Bool = false, colorPair: Int32 = 0) {
        let width = size.columns - column
        guard row >= 0, row < size.rows, width > 0 else { return }
        var attributes = heaters_A_NORMAL()
        if bold { attributes |= heaters_A_BOLD() }
        if reverse { attributes |= heaters_A_REVERSE() }
        if colorPair > 0 && colorsEnabled { attributes |= attr_t(heaters_COLOR_PAIR(colorPair)) }
        attron(Int32(attributes))
        _ = heaters_mvaddstr(Int32(row), Int32(column), String(text.prefix(width)))
        attroff(Int32(attributes))
    }

    func present() { refresh() }
}
