/// A key the reviewer pressed, as the reducer sees it (curses codes are turned into these at
/// the edge).
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, backspace, tab

    /// The name key bindings use: "a", "$", "space", "enter", "up", "ctrl-l".
    public var name: String {
        switch self {
        case .character(" "): "space"
        case .character(let c):
            if let ascii = c.asciiValue, ascii < 32 { "ctrl-" + String(UnicodeScalar(ascii + 96)) } else { String(c) }
        case .up: "up"
        case .down: "down"
        case .left: "left"
        case .right: "right"
        case .pageUp: "pageup"
        case .pageDown: "pagedown"
        case .home: "home"
        case .end: "end"
        case .enter: "enter"
        case .escape: "escape"
        case .backspace: "backspace"
        case .tab: "tab"
        }
    }

    /// The key a binding names; nil for a name that is no key.
    public init?(name: String) {
        switch name.lowercased() {
        case "space": self = .character(" ")
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "pageup": self = .pageUp
        case "pagedown": self = .pageDown
        case "home": self = .home
        case "end": self = .end
        case "enter": self = .enter
        case "escape", "esc": self = .escape
        case "backspace": self = .backspace
        case "tab": self = .tab
        default:
            if name.count == 1, let c = name.first { self = .character(c); return }
            let lower = name.lowercased()
            if lower.hasPrefix("ctrl-"), lower.count == 6, let letter = lower.last?.asciiValue, (97...122).contains(letter) {
                self = .character(Character(UnicodeScalar(letter - 96)))
                return
            }
            return nil
        }
    }
}
