import Foundation
import Testing
import TUI

/// Pictures in pixels: the built binary in a pseudo-terminal that answers the station's query
/// as a sixel terminal, a kitty terminal or a plain one (Fixtures/graphics-terminal.py, which
/// decodes the sixel pictures it is sent). tmux cannot carry pixels, hence a pty here.
@Suite(.timeLimit(.minutes(12))) struct StationGraphicsTests {
    struct Run: Decodable {
        var queried: Bool
        var exit: Int?
        var first: Drawn
        var keys: [Drawn]
        var restored: Bool
    }

    struct Drawn: Decodable {
        var written: [Picture]
        var visible: [Picture]
    }

    struct Picture: Decodable {
        var `protocol`: String
        var row: Int
        var column: Int
        var width: Int?
        var height: Int?
        var colours: Int?
        var digest: Int?
        var cells: [Int]?
        var pixels: [Int]?
    }

    static func station(_ f: StationFixture, answer: String, keys: String, setting: String = "auto",
                        extra: [String: String] = [:]) throws -> Run {
        var environment = HeatersCLI.environment(dataDirectory: f.dir, extra: [
            "TERM": "xterm-256color", "LANG": "C.UTF-8", "HEATERS_GRAPHICS": setting])
        environment.removeValue(forKey: "TMUX")
        environment.merge(extra) { $1 }
        let script = ProjectPaths.root.appendingPathComponent("Tests/IntegrationTests/Fixtures/graphics-terminal.py")
        let outcome = try HeatersCLI.runProgram(URL(fileURLWithPath: "/usr/bin/python3"),
                                                [script.path, ProjectPaths.heatersBinary.path, "--answer", answer,
                                                 "--cell", "10x20", "--size", "160x48", "--keys", keys],
                                                environment: environment, timeout: 120)
        guard outcome.status == 0 else { throw FixtureError("graphics-terminal.py failed: \(outcome.output)") }
        return try JSONDecoder().decode(Run.self, from: Data(outcome.stdout.utf8))
    }

    @Test func aSixelTerminalGetsTheFrameInPixelsAndEachStepANewOne() async throws {
        let f = try await StationFixture("station-sixel")
        defer { f.cleanUp() }
        let run = try Self.station(f, answer: "sixel", keys: "l,5l,b:3,q")
        #expect(run.queried, "the kitty, cell-size and device-attribute queries were sent before curses started")
        #expect(run.exit == 0 && run.restored)
        let first = try #require(run.first.written.first)
        #expect(run.first.written.count == 1)
        #expect(first.protocol == "sixel")
        // 160×48: the picture fills the frame view's picture cells (at most a cell narrower: the
        // source's shape in 10×20 cells), every pixel of them, from the picture's first cell (1-based here).
        let room = Layout(ScreenSize(rows: 48, columns: 160)).picture
        let width = try #require(first.width), height = try #require(first.height)
        #expect(width % 10 == 0 && (room.columns - 1...room.columns).contains(width / 10), "\(first) in \(room)")
        #expect(height > (room.rows - 1) * 20 - 6 && height <= room.rows * 20)
        #expect(first.row == room.row + 1 && (room.column + 1...room.column + 2).contains(first.column))
        #expect((first.colours ?? 0) > 8, "a picture, not a blank")
        // Each step writes the new frame's picture, in the same place; the frames differ.
        let steps = run.keys.prefix(2).compactMap(\.written.last)
        #expect(steps.count == 2)
        #expect(steps.allSatisfy { $0.row == first.row && $0.column == first.column && $0.width == first.width })
        #expect(Set([first.digest, steps[0].digest, steps[1].digest]).count == 3, "three frames, three pictures")
        // The cut view: this clip's first and last frames and the next clip's first, at half size
        // (the first clip has no clip before it).
        let cut = run.keys[2].written
        #expect(cut.count == 3, "\(cut)")
        #expect(cut.allSatisfy { $0.width == 570 })
    }

    @Test func kittyAnswersPlainTerminalsAndTmuxGetWhatTheyCanShow() async throws {
        let f = try await StationFixture("station-kitty")
        defer { f.cleanUp() }
        let kitty = try Self.station(f, answer: "kitty", keys: "l,b:3,q")
        let picture = try #require(kitty.first.visible.first)
        #expect(kitty.first.visible.count == 1 && picture.protocol == "kitty")
        let room = Layout(ScreenSize(rows: 48, columns: 160)).picture
        #expect(picture.cells?.last == room.rows && (room.columns - 1...room.columns).contains(picture.cells?.first ?? 0),
                "placed over the frame view's cells")
        #expect((picture.pixels?.first ?? 0) <= 640, "sent at most 640 pixels wide; the terminal scales it")
        #expect(kitty.keys[0].visible.count == 1, "the old picture deleted before the new one")
        #expect(kitty.keys[1].visible.count == 3, "the cut view's pictures replace the frame's")
        #expect(kitty.exit == 0 && kitty.restored)

        // A terminal that answers with neither protocol keeps symbols.
        let plain = try Self.station(f, answer: "plain", keys: "l,q")
        #expect(plain.queried)
        #expect(plain.first.written.isEmpty && plain.keys.allSatisfy(\.written.isEmpty))
        // Under tmux the query is not sent (tmux would answer for itself) and symbols are drawn.
        let tmux = try Self.station(f, answer: "sixel", keys: "l,q", extra: ["TMUX": "/tmp/tmux-0/default,1,0"])
        #expect(!tmux.queried)
        #expect(tmux.first.written.isEmpty && tmux.keys.allSatisfy(\.written.isEmpty))
        // The default setting (symbols) asks nothing.
        let symbols = try Self.station(f, answer: "sixel", keys: "l,q", setting: "symbols")
        #expect(!symbols.queried && symbols.first.written.isEmpty)
    }
}
