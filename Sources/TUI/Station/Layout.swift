/// Where each pane goes for a screen size: pure, so the 80×24 and 160×48 layouts are tested
/// without a terminal.
public struct Layout: Sendable, Equatable {
    public struct Rect: Sendable, Equatable {
        public var row: Int
        public var column: Int
        public var rows: Int
        public var columns: Int

        public init(row: Int, column: Int, rows: Int, columns: Int) {
            self.row = row
            self.column = column
            self.rows = rows
            self.columns = columns
        }
    }

    /// The clip line at the top.
    public var header: Rect
    public var queue: Rect
    /// The frame view (and the cut view, help overlay and undo tray in its place).
    public var frame: Rect
    /// The picture inside the frame view, sized to the proxy's shape (cells are about twice
    /// as tall as wide).
    public var picture: Rect
    public var filmstrip: Rect
    public var thumbnail: Size
    public var thumbnails: Int
    public var details: Rect
    public var tray: Rect
    public var pipeline: Rect
    public var message: Rect

    /// A picture's size in cells.
    public struct Size: Sendable, Equatable {
        public var columns: Int
        public var rows: Int
    }

    /// `aspect` is the proxy's width over height (16:9 when unknown).
    public init(_ size: ScreenSize, aspect: Double = 16.0 / 9.0) {
        let rows = max(size.rows, ScreenSize.minimum.rows), columns = max(size.columns, ScreenSize.minimum.columns)
        let queueColumns = columns >= 140 ? 36 : columns >= 110 ? 30 : 26
        let trayRows = rows >= 40 ? 3 : 2
        message = Rect(row: rows - 1, column: 0, rows: 1, columns: columns)
        pipeline = Rect(row: rows - 2, column: 0, rows: 1, columns: columns)
        tray = Rect(row: rows - 2 - trayRows, column: 0, rows: trayRows, columns: columns)
        header = Rect(row: 0, column: 0, rows: 1, columns: columns)
        let bodyRows = tray.row - 1
        queue = Rect(row: 1, column: 0, rows: bodyRows, columns: queueColumns)
        let right = queueColumns + 1, rightColumns = columns - right
        details = Rect(row: tray.row - 1, column: right, rows: 1, columns: rightColumns)
        let thumbRows = rows >= 40 ? 5 : 3
        filmstrip = Rect(row: details.row - thumbRows - 1, column: right, rows: thumbRows + 1, columns: rightColumns)
        let thumbColumns = max(4, Int((Double(thumbRows) * 2 * aspect).rounded()))
        thumbnail = Size(columns: thumbColumns, rows: thumbRows)
        thumbnails = max(1, (rightColumns + 1) / (thumbColumns + 1))
        frame = Rect(row: 1, column: right, rows: filmstrip.row - 1, columns: rightColumns)
        // Fit the picture: as wide as the view allows, or as tall.
        var pictureColumns = frame.columns
        var pictureRows = Int((Double(pictureColumns) / aspect / 2).rounded())
        if pictureRows > frame.rows {
            pictureRows = frame.rows
            pictureColumns = min(frame.columns, Int((Double(pictureRows) * 2 * aspect).rounded()))
        }
        picture = Rect(row: frame.row + (frame.rows - pictureRows) / 2, column: frame.column + (frame.columns - pictureColumns) / 2,
                       rows: max(1, pictureRows), columns: max(1, pictureColumns))
    }
}
