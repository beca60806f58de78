import CChafa

/// Turns pixels into a `CellGrid` of block symbols with libchafa, in truecolor, for a fixed
/// cell size. Owns one chafa canvas, reused across frames; make a new renderer when the
/// frame view is resized. Not thread-safe: use one renderer per thread.
public final class ChafaRenderer {
    /// How the pixel buffer is laid out, one byte per channel.
    public enum PixelFormat: Sendable {
        case rgba
        case rgb

        var bytesPerPixel: Int { self == .rgba ? 4 : 3 }
        var chafaType: ChafaPixelType { self == .rgba ? CHAFA_PIXEL_RGBA8_UNASSOCIATED : CHAFA_PIXEL_RGB8 }
    }

    /// What the cells may use: colours (truecolor, mapped down by the screen), or none
    /// (NO_COLOR): the symbols alone carry the picture.
    public enum Colors: Sendable {
        case truecolor
        case none
    }

    public let width: Int
    public let height: Int
    private let canvas: OpaquePointer

    /// - Parameters:
    ///   - width, height: the grid size in terminal cells.
    ///   - workFactor: chafa's effort from 0 (fastest) to 1; lower while playing.
    public init(width: Int, height: Int, colors: Colors = .truecolor, workFactor: Float = 0.5) throws(FrameError) {
        guard width > 0, height > 0, width <= 4096, height <= 4096 else { throw .invalidGrid(width: width, height: height) }
        self.width = width
        self.height = height

        // The canvas copies the config, and the config the symbol map, so both are released here.
        let symbols = chafa_symbol_map_new()
        defer { chafa_symbol_map_unref(symbols) }
        // Blocks and spaces read well at low resolution and exist in every terminal font.
        chafa_symbol_map_add_by_tags(symbols, ChafaSymbolTags(CHAFA_SYMBOL_TAG_BLOCK.rawValue | CHAFA_SYMBOL_TAG_SPACE.rawValue))
        let config = chafa_canvas_config_new()
        defer { chafa_canvas_config_unref(config) }
        chafa_canvas_config_set_geometry(config, Int32(width), Int32(height))
        // Truecolor keeps the exact colours; the screen maps them down to 256 when it must.
        chafa_canvas_config_set_canvas_mode(config, colors == .truecolor ? CHAFA_CANVAS_MODE_TRUECOLOR : CHAFA_CANVAS_MODE_FGBG)
        chafa_canvas_config_set_work_factor(config, min(max(workFactor, 0), 1))
        chafa_canvas_config_set_pixel_mode(config, CHAFA_PIXEL_MODE_SYMBOLS)
        chafa_canvas_config_set_symbol_map(config, symbols)
        canvas = chafa_canvas_new(config)
    }

    deinit { chafa_canvas_unref(canvas) }

    /// Scales the image to the grid and picks a symbol and two colours per cell.
    /// - Parameter stride: bytes from one row to the next; nil for tightly packed rows.
    public func render(
        pixels: [UInt8], width imageWidth: Int, height imageHeight: Int, stride: Int? = nil, format: PixelFormat
    ) throws(FrameError) -> CellGrid {
        let rowBytes = imageWidth * format.bytesPerPixel
        let stride = stride ?? rowBytes
        guard imageWidth > 0, imageHeight > 0, stride >= rowBytes else {
            throw .invalidImage("\(imageWidth)x\(imageHeight), stride \(stride)")
        }
        let needed = stride * (imageHeight - 1) + rowBytes
        guard pixels.count >= needed else { throw .invalidImage("\(pixels.count) bytes, needs \(needed)") }

        pixels.withUnsafeBufferPointer {
            chafa_canvas_draw_all_pixels(canvas, format.chafaType, $0.baseAddress,
                                         Int32(imageWidth), Int32(imageHeight), Int32(stride))
        }
        var cells: [TerminalCell] = []
        cells.reserveCapacity(width * height)
        for y in 0..<Int32(height) {
            for x in 0..<Int32(width) {
                var foreground: Int32 = 0
                var background: Int32 = 0
                chafa_canvas_get_colors_at(canvas, x, y, &foreground, &background)
                let character = chafa_canvas_get_char_at(canvas, x, y)
                cells.append(TerminalCell(
                    scalar: Unicode.Scalar(character) ?? " ",
                    // Negative means transparent, which opaque video frames never are; black then.
                    foreground: RGBColor(packed: max(foreground, 0)),
                    background: RGBColor(packed: max(background, 0))))
            }
        }
        return CellGrid(width: width, height: height, cells: cells)
    }
}
