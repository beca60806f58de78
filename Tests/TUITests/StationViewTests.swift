import Domain
import Foundation
import Testing
@testable import TUI

/// Screen snapshots of the in-memory grid at 80×24 and 160×48.
@MainActor @Suite struct StationViewTests {
    typealias F = StationFixtures

    func drawn(_ state: StationState) -> GridScreen {
        let screen = GridScreen(size: state.size)
        StationView(keymap: try! Keymap()).draw(state, on: screen)
        return screen
    }

    func filled(_ size: ScreenSize) -> StationState {
        var (reducer, state) = F.loaded(size: size)
        _ = F.keys("12l", reducer, &state)
        _ = reducer.reduce(&state, .tray([TrayItem(actionID: 4, summary: "split 9 @f57", settlesAt: F.start.addingTimeInterval(43),
                                                   status: .scheduled)]))
        _ = reducer.reduce(&state, .pipeline(PipelineSummary(counts: [.init("downloading", 3), .init("pending review", 212)],
                                                             failed: 0, running: [.init(stage: "preprocess", progress: 0.45)],
                                                             reviewOverdue: 0)))
        let key = StationReducer.mainKey(state)!
        let cell = TerminalCell(scalar: "█", foreground: RGBColor(red: 200, green: 0, blue: 0), background: RGBColor(red: 0, green: 0, blue: 0))
        _ = reducer.reduce(&state, .frameRendered(key, CellGrid(width: key.columns, height: key.rows,
                                                               cells: Array(repeating: cell, count: key.columns * key.rows))))
        return state
    }

    @Test(arguments: [ScreenSize(rows: 24, columns: 80), ScreenSize(rows: 48, columns: 160)])
    func everyPaneHasItsPlace(size: ScreenSize) {
        let state = filled(size)
        let screen = drawn(state)
        let layout = Layout(size)
        #expect(screen.line(0).hasPrefix(" heaters · clip 10 · source 7 \"Interview 3\" · 00:00:00.000–00:00:04.000 · 100 f"))
        #expect(screen.line(1).hasPrefix(" queue · 5 pending"))
        #expect(screen.line(2).hasPrefix(">    10   4.0s pending"))
        #expect(screen.line(3).hasPrefix("     11   4.0s pending"))
        #expect(screen.line(layout.details.row).contains("frame 13/100 · f 12 · 00:00:00.480 · pending"))
        #expect(screen.line(layout.tray.row + 1).contains("split 9 @f57 (lands in 43s)"))
        #expect(screen.line(layout.pipeline.row).contains("pipeline: 3 downloading · 212 pending review · 0 failed · preprocess 45%"))
        #expect(screen.line(layout.message.row).contains("? help"))
        // The picture fills its rectangle and stays inside the frame view.
        let p = layout.picture
        #expect(screen.characters[p.row][p.column] == "█" && screen.characters[p.row + p.rows - 1][p.column + p.columns - 1] == "█")
        #expect(p.column + p.columns <= size.columns && p.row + p.rows <= layout.filmstrip.row)
        #expect(screen.slots[2][0] == .selection)
    }

    @Test func theHelpOverlayListsEveryKeyAt80x24() {
        var (reducer, state) = F.loaded()
        _ = F.keys("?", reducer, &state)
        let text = drawn(state).text
        for action in StationAction.allCases { #expect(text.contains(String(action.help.prefix(20))), "help lacks \(action)") }
    }

    @Test func aTitleCannotInjectEscapesOrBreakTheLayout() {
        var (reducer, state) = F.loaded()
        var hostile = F.clips
        hostile[0].sourceTitle = "evil\u{1B}[2J\u{1B}]0;pwned\u{07}title 名前が長い"
        _ = reducer.reduce(&state, .queuePage(QueuePage(entries: hostile, total: 5), after: nil, replacing: true, exhausted: true))
        let screen = drawn(state)
        #expect(!screen.text.unicodeScalars.contains("\u{1B}") && !screen.text.unicodeScalars.contains("\u{07}"))
        #expect(screen.line(0).contains("evil[2J]0;pwnedtitle 名"))
        #expect(screen.characters.allSatisfy { $0.count == 80 })
    }

    @Test func aTerminalTooSmallSaysSo() {
        var (_, state) = F.loaded(size: ScreenSize(rows: 20, columns: 60))
        state.size = ScreenSize(rows: 20, columns: 60)
        #expect(drawn(state).text.contains("at least 80×24"))
    }

    @Test func displayWidthsAndFitting() {
        #expect(DisplayText.width("abc") == 3 && DisplayText.width("名前") == 4 && DisplayText.width("e\u{301}") == 1)
        #expect(DisplayText.fit("名前が長い", 5) == "名前…")
        #expect(DisplayText.pad("ab", 4) == "ab  ")
        #expect(DisplayText.clean("a\u{1B}b\u{202E}c\td") == "abc d")
    }
}

@MainActor @Suite struct QueueLineTests {
    @Test func aLineShowsIdDurationStateAndTags() {
        var entry = QueueEntry(clipID: 1234, sourceID: 3, sourceTitle: "Interview 3", startFrame: 18_087, endFrame: 18_228,
                               startSeconds: 723.48, endSeconds: 729.12, state: .pendingReview, tags: ["night", "crowd"])
        let line = StationView.queueLine(entry, selected: true, marked: false, width: 36)
        #expect(line.hasPrefix(">  1234   5.6s pending #night #crowd"))
        #expect(DisplayText.width(line) == 36)
        entry.state = .reviewApproved
        #expect(StationView.queueLine(entry, selected: false, marked: true, width: 20) == "*  1234   5.6s appr…")
    }
}
