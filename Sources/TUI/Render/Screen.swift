/// What the station draws on: ncurses in the product (`CursesScreen`), an in-memory grid in
/// tests (`GridScreen`). Drawing reads the state and writes here; nothing here changes it.
@MainActor
public protocol Screen: AnyObject {
    var size: ScreenSize { get }
    /// Blanks the whole screen (what is not drawn again stays blank).
    func erase()
    /// Writes text at a cell in a slot's style, cut to `width` display cells. The text must be
    /// display-safe already (`DisplayText.clean`).
    func write(_ text: String, row: Int, column: Int, width: Int, slot: ThemeSlot)
    /// Copies a picture's cells to the screen with its own colours.
    func draw(_ grid: CellGrid, row: Int, column: Int)
    /// Shows what was drawn.
    func present()
}
