/// The semantic parts of the screen a theme colours; the station names these, never raw
/// colours, so a theme file decides what "approved" or "a failure" looks like.
public enum ThemeSlot: String, CaseIterable, Sendable, Hashable {
    case text, dim, header, chrome, title
    case selection, marked
    case pending, approved, skipped, archived, held
    case tray, trayScheduled, trayDone
    case pipeline, warning, failure
    case message, error, prompt, help
}
