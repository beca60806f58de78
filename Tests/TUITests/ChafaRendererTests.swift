import Testing
import TUI

/// ChafaRenderer with real libchafa on images whose expected colours are obvious.
@Suite struct ChafaRendererTests {
    /// Pixels of a `width × height` image coloured by `paint(x, y)`, packed RGBA.
    static func rgba(width: Int, height: Int, paint: (Int, Int) -> (UInt8, UInt8, UInt8)) -> [UInt8] {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                let (r, g, b) = paint(x, y)
                pixels += [r, g, b, 255]
            }
        }
        return pixels
    }

    /// The colour a cell covered by one colour shows: the background behind a space, the
    /// foreground of a full block (the other colour is then invisible and arbitrary).
    static func shown(_ cell: TerminalCell) -> RGBColor? {
        switch cell.scalar {
        case " ": cell.background
        case "█": cell.foreground
        default: nil
        }
    }

    @Test func halfBlackHalfWhiteIsDarkLeftAndLightRight() throws {
        let pixels = Self.rgba(width: 64, height: 32) { x, _ in x < 32 ? (0, 0, 0) : (255, 255, 255) }
        let grid = try ChafaRenderer(width: 8, height: 4).render(pixels: pixels, width: 64, height: 32, format: .rgba)

        #expect(grid.width == 8 && grid.height == 4)
        for y in 0..<4 {
            for x in 0..<8 {
                // Cells 0–3 cover only black pixels and 4–7 only white ones (8 px per cell).
                let color = try #require(Self.shown(grid[x, y]), "cell \(x),\(y) is not uniform: \(grid[x, y])")
                if x < 4 {
                    #expect(color.luma < 32, "cell \(x),\(y): \(grid[x, y])")
                } else {
                    #expect(color.luma > 223, "cell \(x),\(y): \(grid[x, y])")
                }
            }
        }
    }

    @Test func solidRedGivesRedCells() throws {
        let pixels = [UInt8]((0..<(40 * 20)).flatMap { _ in [UInt8(220), 0, 0] })
        let grid = try ChafaRenderer(width: 10, height: 5).render(pixels: pixels, width: 40, height: 20, format: .rgb)

        #expect(grid.cells.count == 50)
        for cell in grid.cells {
            let shown = try #require(Self.shown(cell), "not uniform: \(cell)")
            #expect(shown.red > 200 && shown.green < 30 && shown.blue < 30, "\(cell)")
        }
    }

    @Test func shortBuffersAndEmptyGridsAreRefused() throws {
        #expect(throws: FrameError.invalidGrid(width: 0, height: 4)) { try ChafaRenderer(width: 0, height: 4) }
        let renderer = try ChafaRenderer(width: 4, height: 2)
        #expect(throws: FrameError.invalidImage("100 bytes, needs 128")) {
            try renderer.render(pixels: [UInt8](repeating: 0, count: 100), width: 8, height: 4, format: .rgba)
        }
    }
}
