/// Which key does what: the defaults (DESIGN.md, vim-style movement, home-row decisions),
/// patched by the config file's `[keys]` table, which lists only what it changes.
public struct Keymap: Sendable, Equatable {
    public private(set) var bindings: [Key: StationAction]

    public static let defaults: [Key: StationAction] = [
        .character("j"): .nextClip, .down: .nextClip, .character("k"): .previousClip, .up: .previousClip,
        .character("l"): .nextFrame, .right: .nextFrame, .character("h"): .previousFrame, .left: .previousFrame,
        .character("L"): .forwardSecond, .character("H"): .backSecond,
        .character("0"): .firstFrame, .character("$"): .lastFrame,
        .character(" "): .playPause, .character("["): .slower, .character("]"): .faster,
        .character("a"): .approve, .character("s"): .skip, .character("d"): .archive,
        .character("g"): .groupWithBefore, .character("m"): .mergeWithBefore, .character("c"): .split,
        .character("t"): .tag, .character("T"): .toggleMark, .character(";"): .applyToMarked,
        .character("u"): .undo, .character("U"): .undoTray, .character("b"): .cutView, .character("f"): .similar,
        .character("?"): .help, .character(":"): .commandLine, .character("q"): .quit,
    ]

    public init(overrides: [String: String] = [:]) throws(KeymapError) {
        bindings = Self.defaults
        for (name, keyName) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let action = StationAction(rawValue: name) else {
                throw KeymapError("unknown action \"\(name)\" in [keys]; actions: "
                                  + StationAction.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard let key = Key(name: keyName) else { throw KeymapError("[keys] \(name) = \"\(keyName)\" is not a key") }
            if case .character(let c) = key, ("1"..."9").contains(c) {
                throw KeymapError("digits 1–9 are counts (5l): \(name) cannot be \(keyName)")
            }
            // The action's old keys go; the new key leaves whatever it did before.
            bindings = bindings.filter { $0.value != action }
            bindings[key] = action
        }
    }

    public func action(for key: Key) -> StationAction? { bindings[key] }

    /// The keys of an action, in a stable order (letters first).
    public func keys(for action: StationAction) -> [Key] {
        bindings.filter { $0.value == action }.map(\.key).sorted { ($0.name.count, $0.name) < ($1.name.count, $1.name) }
    }

    /// The README's key table (a test keeps the README's copy equal to this).
    public func markdownTable() -> String {
        var lines = ["| keys | what they do |", "|---|---|"]
        var group: StationAction.Group?
        for entry in helpTable() {
            if entry.group != group {
                group = entry.group
                lines.append("| **\(entry.group.rawValue)** | |")
            }
            let keys = entry.keys.split(separator: " ").map { "`\($0 == "|" ? "\\|" : $0)`" }.joined(separator: " ")
            lines.append("| \(keys) | \(entry.help) |")
        }
        return lines.joined(separator: "\n")
    }

    /// The help overlay's (and README's) lines: group, keys, what they do.
    public func helpTable() -> [(group: StationAction.Group, keys: String, help: String)] {
        StationAction.Group.allCases.flatMap { group in
            StationAction.allCases.filter { $0.group == group }.map { action in
                (group, keys(for: action).map(\.name).joined(separator: " "), action.help)
            }
        }
    }
}

/// A `[keys]` entry that cannot be used, and why.
public struct KeymapError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
