import Foundation
import Testing
@testable import TUI

@Suite struct KeymapTests {
    @Test func everyActionHasAKeyAndHelp() throws {
        let keymap = try Keymap()
        for action in StationAction.allCases {
            #expect(!keymap.keys(for: action).isEmpty, "\(action) has no key")
            #expect(!action.help.isEmpty)
        }
        #expect(keymap.action(for: .character("a")) == .approve && keymap.action(for: .character("$")) == .lastFrame)
        #expect(keymap.helpTable().count == StationAction.allCases.count)
    }

    @Test func overridesRebindOnlyWhatTheyList() throws {
        let keymap = try Keymap(overrides: ["approve": "y", "quit": "ctrl-q"])
        #expect(keymap.action(for: .character("y")) == .approve)
        #expect(keymap.action(for: .character("a")) == nil, "the old key goes")
        #expect(keymap.action(for: Key(name: "ctrl-q")!) == .quit)
        #expect(keymap.action(for: .character("s")) == .skip)
        #expect(throws: KeymapError.self) { try Keymap(overrides: ["approv": "y"]) }
        #expect(throws: KeymapError.self) { try Keymap(overrides: ["approve": "5"]) }
        #expect(throws: KeymapError.self) { try Keymap(overrides: ["approve": "notakey"]) }
    }

    @Test func keyNamesRoundTrip() {
        for key in [Key.character("a"), .character(" "), .character("$"), .up, .pageDown, .enter, .escape, .character("\u{0C}")] {
            #expect(Key(name: key.name) == key, "\(key.name)")
        }
    }

    /// The README's key table is generated from the same data as the help overlay.
    @Test func theReadmeListsTheKeysAsTheHelpDoes() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        #expect(text.contains(try Keymap().markdownTable()), "README's key table differs from Keymap().markdownTable()")
    }
}

@Suite struct ThemeTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("themes")

    @Test func everyShippedThemeParsesAndColoursEverySlot() throws {
        let names = Theme.available(in: [Self.folder])
        #expect(names == ["default", "high-contrast", "light"])
        for name in names {
            let text = try String(contentsOf: Self.folder.appendingPathComponent("\(name).theme"), encoding: .utf8)
            let theme = try Theme(name: name, text: text, base: nil)
            for slot in ThemeSlot.allCases { #expect(theme.styles[slot] != nil, "\(name) leaves out \(slot)") }
        }
        #expect(try Theme.load("light", from: [Self.folder]).style(.approved).bold)
    }

    @Test func badThemesSayWhereAndWhy() throws {
        #expect(throws: ThemeError.self) { try Theme(name: "t", text: "selectoin = red") }
        #expect(throws: ThemeError.self) { try Theme(name: "t", text: "selection = reddish") }
        #expect(throws: ThemeError.self) { try Theme.load("../etc/passwd", from: [Self.folder]) }
        #expect(throws: ThemeError.self) { try Theme.load("nonexistent", from: [Self.folder]) }
        #expect(try Theme(name: "t", text: "error = #ff0000 black bold # red").style(.error)
                == Theme.Style(foreground: .rgb(255, 0, 0), background: .palette(0), bold: true))
    }

    @Test func colourModesAndNumbers() {
        #expect(ColorMode.choose(setting: "auto", environment: ["COLORTERM": "truecolor"]) == .direct)
        #expect(ColorMode.choose(setting: "auto", environment: [:]) == .palette256)
        #expect(ColorMode.choose(setting: "truecolor", environment: ["NO_COLOR": "1"]) == .none)
        #expect(ColorNumbers.nearest256(255, 0, 0) == 196 && ColorNumbers.nearest256(128, 128, 128) == 244)
        #expect(ColorNumbers.direct(0, 0, 3) == 8, "direct colours 0–7 would be palette entries")
    }
}
