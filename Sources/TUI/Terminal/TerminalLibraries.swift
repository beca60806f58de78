@preconcurrency import CChafa
@preconcurrency import CNcursesw

/// Versions of the terminal libraries, and what terminfo says about a terminal, for
/// `heaters doctor`. Nothing here draws on the screen.
public enum TerminalLibraries {
    public static func versions() -> [(name: String, version: String)] {
        [("ncursesw", String(cString: heaters_curses_version())),
         ("chafa", "\(CHAFA_MAJOR_VERSION).\(CHAFA_MINOR_VERSION).\(CHAFA_MICRO_VERSION) (\(chafa_get_n_actual_threads()) threads)")]
    }

    /// Colours terminfo gives `term`; nil when terminfo has no entry for it.
    public static func colors(forTerminal term: String) -> Int? {
        let n = heaters_terminfo_colors(term)
        return n == -2 ? nil : Int(n)
    }
}
