import Domain
import Foundation
import Testing
@testable import TUI

/// Pictures in pixels: reading the terminal's answer, choosing the protocol, chafa's sixel and
/// kitty output, which pictures the station asks for in pixels, and how they are drawn.
@Suite struct PixelGraphicsTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func repliesAreReadInAnyCombination() {
        let sixel = GraphicsReply(parsing: Self.bytes("\u{1B}[6;20;10t\u{1B}[?62;4;6;22c"))
        #expect(sixel.sixel && !sixel.kitty && sixel.complete)
        #expect(sixel.cellPixels?.width == 10 && sixel.cellPixels?.height == 20)

        let kitty = GraphicsReply(parsing: Self.bytes("\u{1B}_Gi=31;OK\u{1B}\\\u{1B}[6;17;8t\u{1B}[?62;22c"))
        #expect(kitty.kitty && !kitty.sixel && kitty.complete)
        #expect(kitty.cellPixels?.width == 8 && kitty.cellPixels?.height == 17)

        // A kitty error, a key typed early, no cell size; the first attribute (62: the level) is not "4".
        let plain = GraphicsReply(parsing: Self.bytes("j\u{1B}_Gi=31;ENOTSUPPORTED\u{1B}\\\u{1B}[?4;22c"))
        #expect(!plain.kitty && !plain.sixel && plain.complete && plain.cellPixels == nil)

        // Cut short: nothing claimed, not complete, and no crash on the half sequence.
        let partial = GraphicsReply(parsing: Self.bytes("\u{1B}_Gi=31;O"))
        #expect(!partial.kitty && !partial.complete)
        #expect(!GraphicsReply(parsing: Self.bytes("\u{1B}[?62;4")).complete)
        #expect(GraphicsReply.query.suffix(3) == Self.bytes("\u{1B}[c")[...], "device attributes last: every terminal answers them")
    }

    @Test func theProtocolFollowsTheSettingTheAnswerAndTheMultiplexer() throws {
        var reply = GraphicsReply()
        reply.sixel = true
        reply.cellPixels = (9, 18)
        let xterm = ["TERM": "xterm-256color"]
        let cells = (columns: 160, rows: 48)
        #expect(PixelGraphics.choose(.symbols, reply: reply, environment: xterm, windowPixels: nil, cells: cells) == nil)
        #expect(PixelGraphics.choose(.auto, reply: reply, environment: xterm, windowPixels: nil, cells: cells)
                == PixelGraphics(protocolName: .sixel, cellWidth: 9, cellHeight: 18))
        #expect(PixelGraphics.choose(.auto, reply: reply, environment: ["TERM": "xterm", "TMUX": "/tmp/tmux-0/default,1,0"],
                                     windowPixels: nil, cells: cells) == nil, "tmux: symbols")
        #expect(PixelGraphics.choose(.auto, reply: reply, environment: ["TERM": "screen-256color"], windowPixels: nil, cells: cells) == nil)
        #expect(PixelGraphics.choose(.auto, reply: GraphicsReply(), environment: xterm, windowPixels: nil, cells: cells) == nil,
                "no protocol answered: symbols")
        reply.kitty = true
        #expect(PixelGraphics.choose(.auto, reply: reply, environment: xterm, windowPixels: nil, cells: cells)?.protocolName == .kitty,
                "kitty preferred: it scales pictures, so they are smaller")
        // Forced, with the cell size from the window's pixels, else 10×20.
        #expect(PixelGraphics.choose(.kitty, reply: nil, environment: xterm, windowPixels: (1280, 960), cells: cells)
                == PixelGraphics(protocolName: .kitty, cellWidth: 8, cellHeight: 20))
        #expect(PixelGraphics.choose(.sixel, reply: nil, environment: xterm, windowPixels: (0, 0), cells: cells)
                == PixelGraphics(protocolName: .sixel, cellWidth: 10, cellHeight: 20))
        #expect(throws: GraphicsSettingError.self) { try GraphicsSetting(parsing: "iterm") }
        #expect(try GraphicsSetting(parsing: "Sixel") == .sixel)
    }

    /// A gradient with a red square: enough detail that a picture cannot be one colour.
    static func image(width: Int, height: Int) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                let square = x > width / 3 && x < width / 2 && y > height / 3 && y < height / 2
                pixels[i] = square ? 255 : UInt8(x * 255 / width)
                pixels[i + 1] = square ? 0 : UInt8(y * 255 / height)
                pixels[i + 2] = square ? 0 : 128
            }
        }
        return pixels
    }

    @Test func sixelPicturesCarryTheCellsPixels() throws {
        let renderer = try PixelRenderer(width: 40, height: 12, graphics: PixelGraphics(protocolName: .sixel, cellWidth: 10, cellHeight: 20))
        let grid = try renderer.render(pixels: Self.image(width: 320, height: 180), width: 320, height: 180, format: .rgb)
        let bytes = try #require(grid.graphic?.bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("\u{1B}P"), "a DCS sixel sequence")
        #expect(text.hasSuffix("\u{1B}\\"))
        // The raster attributes: 1:1 pixels, 400 wide, the height in whole sixel bands (6 pixels) up to 240.
        let raster = try #require(text.firstMatch(of: /"1;1;(\d+);(\d+)/))
        #expect(Int(raster.1) == 400)
        #expect((234...240).contains(Int(raster.2)!))
        #expect(text.contains("#1;2;"), "a palette of several colours")
        #expect(grid.width == 40 && grid.height == 12)
        #expect(grid.cells.allSatisfy { $0.scalar == " " }, "the cells under the picture are blank")
        // Another picture gives other bytes.
        var other = Self.image(width: 320, height: 180)
        for i in stride(from: 0, to: other.count, by: 3) { other[i + 2] = 0 }
        #expect(try renderer.render(pixels: other, width: 320, height: 180, format: .rgb).graphic?.bytes != bytes)
    }

    @Test func kittyPicturesAreSentSmallAndScaledToTheirCells() throws {
        let renderer = try PixelRenderer(width: 120, height: 34, graphics: PixelGraphics(protocolName: .kitty, cellWidth: 10, cellHeight: 20))
        let grid = try renderer.render(pixels: Self.image(width: 640, height: 360), width: 640, height: 360, format: .rgb)
        let text = String(decoding: try #require(grid.graphic?.bytes), as: UTF8.self)
        let head = try #require(text.firstMatch(of: /\x1B_Ga=T,f=32,s=(\d+),v=(\d+),c=(\d+),r=(\d+)/))
        #expect(Int(head.3) == 120 && Int(head.4) == 34, "placed over the grid's cells")
        #expect(Int(head.1)! <= PixelRenderer.kittyWidth, "at most 640 pixels wide: the terminal scales it")
        #expect(Int(head.2)! > 0)
    }

    @Test func fittedKeepsTheImageShapeInsideTheRoom() {
        let cell = PixelGraphics(protocolName: .sixel, cellWidth: 10, cellHeight: 20)
        // 16:9 into 124×35 cells of 10×20, a 1240×700 room: the width binds (1240×697.5), all 124×35 cells.
        let fitted = PixelRenderer.fitted(columns: 124, rows: 35, cell: cell, imageWidth: 1280, imageHeight: 720)
        #expect(fitted.columns == 124 && fitted.rows == 35)
        let square = PixelRenderer.fitted(columns: 124, rows: 35, cell: cell, imageWidth: 500, imageHeight: 500)
        #expect(square.columns == 70 && square.rows == 35)
    }

    @MainActor @Test func pixelPicturesAreAskedForTheFrameViewOnlyAndDrawnOverBlankCells() {
        typealias F = StationFixtures
        var (reducer, state) = F.loaded(size: ScreenSize(rows: 48, columns: 160))
        state.pixelPictures = true
        let effects = F.keys("l", reducer, &state)
        let wanted = effects.compactMap { effect -> [FrameKey: FramePriority]? in
            if case .render(let wanted) = effect { return wanted } else { return nil }
        }.last ?? [:]
        let main = StationReducer.mainKey(state)!
        #expect(main.pixels)
        #expect(wanted[main] == .now)
        #expect(wanted.filter { $0.value == .visible }.keys.allSatisfy { !$0.pixels }, "the filmstrip stays in symbols")
        #expect(wanted.filter { $0.value == .ahead }.keys.allSatisfy { $0.pixels }, "read-ahead renders what the frame view will show")

        let graphic = TerminalGraphic(protocolName: .sixel, bytes: Array("\u{1B}Pq#0!10~\u{1B}\\".utf8))
        _ = reducer.reduce(&state, .frameRendered(main, CellGrid(width: main.columns - 2, height: main.rows, graphic: graphic)))
        let screen = GridScreen(size: state.size)
        StationView(keymap: try! Keymap()).draw(state, on: screen)
        let picture = Layout(state.size).picture
        #expect(screen.graphics.count == 1)
        #expect(screen.graphics.first?.row == picture.row)
        #expect(screen.graphics.first?.column == picture.column + 1, "a picture narrower than the room is centred")
        #expect(screen.line(picture.row + picture.rows / 2).dropFirst(picture.column).prefix(picture.columns)
                .allSatisfy { $0 == " " })
    }
}
