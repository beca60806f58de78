@preconcurrency import CNcursesw
import Foundation

/// The ncurses session: set up on entry, always restored on exit, and the keyboard. Only the
/// main thread may touch it; everything slow happens elsewhere and arrives through a `WakeupPipe`.
@MainActor
final class CursesSession {
    private(set) var colorsEnabled = false
    private var closed = false

    /// `direct`: use the terminal's `*-direct` terminfo entry (24-bit colour) when one exists.
    init(colors: ColorMode = .palette256) {
        setlocale(LC_ALL, "")
        if colors == .direct, let term = ProcessInfo.processInfo.environment["TERM"] {
            let base = term.split(separator: "-").first.map(String.init) ?? term
            for candidate in ["\(base)-direct", "xterm-direct"] where TerminalLibraries.colors(forTerminal: candidate) != nil {
                setenv("TERM", candidate, 1)
                break
            }
        }
        initscr()
        cbreak()
        noecho()
        keypad(stdscr, true)
        nodelay(stdscr, true)
        set_escdelay(25)
        curs_set(0)
        if colors != .none, has_colors() {
            start_color()
            use_default_colors()
            colorsEnabled = true
        }
    }

    func close() {
        guard !closed else { return }
        closed = true
        endwin()
    }

    var size: (rows: Int, columns: Int) { (Int(getmaxy(stdscr)), Int(getmaxx(stdscr))) }

    /// The next key as the station sees it; `resized` when the terminal changed size.
    func nextInput() -> Input? {
        var code: UInt32 = 0
        let result = heaters_get_key(&code)
        if result == heaters_ERR() { return nil }
        if result == heaters_KEY_CODE_YES() {
            switch Int32(code) {
            case heaters_KEY_RESIZE(): return .resized
            case heaters_KEY_UP(): return .key(.up)
            case heaters_KEY_DOWN(): return .key(.down)
            case heaters_KEY_LEFT(): return .key(.left)
            case heaters_KEY_RIGHT(): return .key(.right)
            case heaters_KEY_NPAGE(): return .key(.pageDown)
            case heaters_KEY_PPAGE(): return .key(.pageUp)
            case heaters_KEY_HOME(): return .key(.home)
            case heaters_KEY_END(): return .key(.end)
            case heaters_KEY_BACKSPACE(): return .key(.backspace)
            case heaters_KEY_ENTER(): return .key(.enter)
            default: return .ignored
            }
        }
        switch code {
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 9: return .key(.tab)
        default:
            guard let scalar = Unicode.Scalar(code) else { return .ignored }
            return .key(.character(Character(scalar)))
        }
    }

    enum Input {
        case key(Key)
        case resized
        case ignored
    }

    func clearScreen() { erase() }

    func present() { refresh() }
}
