import CChafa

/// Turns pixels into a picture in a terminal graphics protocol (sixel or kitty) with
/// libchafa, for a fixed size in cells. Sixel pictures carry every pixel they show (cells ×
/// the cell's pixels); kitty pictures are sent at no more than 640 pixels wide and scaled to
/// their cells by the terminal, which keeps them small. Not thread-safe: one per thread.
public final class PixelRenderer {
    public let width: Int
    public let height: Int
    public let graphics: PixelGraphics
    private let canvas: OpaquePointer
    private let termInfo: OpaquePointer

    /// The widest kitty picture sent; the terminal scales it to its cells.
    static let kittyWidth = 640

    public init(width: Int, height: Int, graphics: PixelGraphics) throws(FrameError) {
        guard width > 0, height > 0, width <= 4096, height <= 4096 else { throw .invalidGrid(width: width, height: height) }
        self.width = width
        self.height = height
        self.graphics = graphics
        var cellWidth = max(1, graphics.cellWidth), cellHeight = max(1, graphics.cellHeight)
        if graphics.protocolName == .kitty, width * cellWidth > Self.kittyWidth {
            let scale = Double(Self.kittyWidth) / Double(width * cellWidth)
            cellWidth = max(1, Int(Double(cellWidth) * scale))
            cellHeight = max(1, Int(Double(cellHeight) * scale))
        }
        let config = chafa_canvas_config_new()
        defer { chafa_canvas_config_unref(config) }
        chafa_canvas_config_set_geometry(config, Int32(width), Int32(height))
        chafa_canvas_config_set_cell_geometry(config, Int32(cellWidth), Int32(cellHeight))
        chafa_canvas_config_set_canvas_mode(config, CHAFA_CANVAS_MODE_TRUECOLOR)
        chafa_canvas_config_set_pixel_mode(
            config, graphics.protocolName == .kitty ? CHAFA_PIXEL_MODE_KITTY : CHAFA_PIXEL_MODE_SIXELS)
        canvas = chafa_canvas_new(config)
        // chafa's fallback terminal knows the sixel and kitty sequences; 1.12 asks no terminal.
        termInfo = chafa_term_db_get_fallback_info(chafa_term_db_get_default())
    }

    deinit {
        chafa_canvas_unref(canvas)
        chafa_term_info_unref(termInfo)
    }

    /// Scales the image to the cells and encodes it; the grid's cells are blank.
    public func render(pixels: [UInt8], width imageWidth: Int, height imageHeight: Int, format: ChafaRenderer.PixelFormat)
        throws(FrameError) -> CellGrid
    {
        let stride = imageWidth * format.bytesPerPixel
        guard imageWidth > 0, imageHeight > 0 else { throw .invalidImage("\(imageWidth)x\(imageHeight)") }
        guard pixels.count >= stride * imageHeight else { throw .invalidImage("\(pixels.count) bytes, needs \(stride * imageHeight)") }
        pixels.withUnsafeBufferPointer {
            chafa_canvas_draw_all_pixels(canvas, format.chafaType, $0.baseAddress, Int32(imageWidth), Int32(imageHeight), Int32(stride))
        }
        guard let printed = chafa_canvas_print(canvas, termInfo) else { throw .invalidImage("chafa printed nothing") }
        let bytes = Array(UnsafeRawBufferPointer(start: printed.pointee.str, count: Int(printed.pointee.len)))
        g_string_free(printed, 1)
        return CellGrid(width: width, height: height, graphic: TerminalGraphic(protocolName: graphics.protocolName, bytes: bytes))
    }

    /// The picture's size in pixels that fills `columns × rows` cells at the image's aspect.
    public static func fitted(columns: Int, rows: Int, cell: PixelGraphics, imageWidth: Int, imageHeight: Int)
        -> (columns: Int, rows: Int)
    {
        guard imageWidth > 0, imageHeight > 0, cell.cellWidth > 0, cell.cellHeight > 0 else { return (columns, rows) }
        let boxWidth = Double(columns * cell.cellWidth), boxHeight = Double(rows * cell.cellHeight)
        let scale = min(boxWidth / Double(imageWidth), boxHeight / Double(imageHeight))
        let fittedColumns = Int((Double(imageWidth) * scale / Double(cell.cellWidth)).rounded())
        let fittedRows = Int((Double(imageHeight) * scale / Double(cell.cellHeight)).rounded())
        return (min(columns, max(1, fittedColumns)), min(rows, max(1, fittedRows)))
    }
}
