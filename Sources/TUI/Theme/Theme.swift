import Foundation

/// How each slot is drawn: colours and attributes, read from a theme file in `themes/`.
///
/// A theme file has one line per slot, `slot = foreground [background] [bold] [reverse]
/// [underline] [dim]`; colours are `default`, the eight names (`black`, `red`, … `white`),
/// `bright-` and a name, a palette number 0–255, or `#rrggbb`. Slots a file leaves out keep
/// the default theme's look. A line starting with `#`, or ` # ` after a value, is a comment.
public struct Theme: Sendable, Equatable {
    public enum Color: Sendable, Hashable {
        /// The terminal's own foreground or background.
        case terminal
        case palette(Int)
        case rgb(UInt8, UInt8, UInt8)
    }

    public struct Style: Sendable, Hashable {
        public var foreground: Color = .terminal
        public var background: Color = .terminal
        public var bold = false
        public var reverse = false
        public var underline = false
        public var dim = false

        public init(foreground: Color = .terminal, background: Color = .terminal, bold: Bool = false,
                    reverse: Bool = false, underline: Bool = false, dim: Bool = false) {
            self.foreground = foreground
            self.background = background
            self.bold = bold
            self.reverse = reverse
            self.underline = underline
            self.dim = dim
        }
    }

    public var name: String
    public var styles: [ThemeSlot: Style]

    public func style(_ slot: ThemeSlot) -> Style { styles[slot] ?? Theme.fallback.styles[slot] ?? Style() }

    /// Built in, so the station draws even when no theme file can be read.
    public static let fallback: Theme = {
        let text = """
            text = default
            dim = default default dim
            header = bright-white blue bold
            chrome = cyan
            title = cyan default bold
            selection = bright-white blue bold
            marked = yellow default bold
            pending = default
            approved = green
            skipped = bright-black
            archived = magenta
            held = yellow
            tray = default
            tray-scheduled = yellow default bold
            tray-done = bright-black
            pipeline = black white
            warning = black yellow bold
            failure = red default bold
            message = cyan
            error = white red bold
            prompt = default default bold
            help = default
            """
        return try! Theme(name: "built-in", text: text, base: nil)
    }()

    /// Parses a theme file; `base` supplies the slots it leaves out.
    public init(name: String, text: String, base: Theme? = Theme.fallback) throws(ThemeError) {
        self.name = name
        styles = base?.styles ?? [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // `#` at the start of a line, or ` # ` after a value, starts a comment (#rrggbb is a colour).
            var line = String(raw)
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("#") { continue }
            if let comment = line.range(of: " # ") { line = String(line[..<comment.lowerBound]) }
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { throw ThemeError("\(name) line \(number + 1): expected `slot = colours`") }
            let slotName = parts[0].replacingOccurrences(of: "-", with: "").lowercased()
            guard let slot = ThemeSlot.allCases.first(where: { $0.rawValue.lowercased() == slotName }) else {
                throw ThemeError("\(name) line \(number + 1): unknown slot \"\(parts[0])\"; slots: "
                                 + ThemeSlot.allCases.map(\.rawValue).joined(separator: ", "))
            }
            styles[slot] = try Self.style(parts[1], at: "\(name) line \(number + 1)")
        }
    }

    private static func style(_ text: String, at place: String) throws(ThemeError) -> Style {
        var style = Style()
        var colours = 0
        for word in text.split(separator: " ").map({ $0.lowercased() }) {
            switch word {
            case "bold": style.bold = true
            case "reverse": style.reverse = true
            case "underline": style.underline = true
            case "dim": style.dim = true
            default:
                let colour = try color(word, at: place)
                if colours == 0 { style.foreground = colour } else if colours == 1 { style.background = colour } else {
                    throw ThemeError("\(place): more than two colours in \"\(text)\"")
                }
                colours += 1
            }
        }
        return style
    }

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    private static func color(_ word: String, at place: String) throws(ThemeError) -> Color {
        if word == "default" { return .terminal }
        if let index = names.firstIndex(of: word) { return .palette(index) }
        if word.hasPrefix("bright-"), let index = names.firstIndex(of: String(word.dropFirst(7))) { return .palette(index + 8) }
        if let number = Int(word), (0...255).contains(number) { return .palette(number) }
        if word.hasPrefix("#"), word.count == 7, let value = UInt32(word.dropFirst(), radix: 16) {
            return .rgb(UInt8(value >> 16), UInt8((value >> 8) & 0xff), UInt8(value & 0xff))
        }
        throw ThemeError("\(place): \"\(word)\" is not a colour (a name, bright-name, 0–255 or #rrggbb) or an attribute")
    }

    /// The themes shipped in `themes/` (found beside the executable's checkout), by name.
    public static func load(_ name: String, from folders: [URL] = Theme.folders) throws(ThemeError) -> Theme {
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw ThemeError("a theme name is letters, digits and dashes, not \"\(name)\"")
        }
        for folder in folders {
            let file = folder.appendingPathComponent("\(name).theme")
            if let text = try? String(contentsOf: file, encoding: .utf8) { return try Theme(name: name, text: text) }
        }
        let known = available(in: folders)
        throw ThemeError("no theme \"\(name)\"" + (known.isEmpty ? "" : "; themes: " + known.joined(separator: ", ")))
    }

    public static func available(in folders: [URL] = Theme.folders) -> [String] {
        Array(Set(folders.flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                .filter { $0.hasSuffix(".theme") }.map { String($0.dropLast(6)) }
        })).sorted()
    }

    /// `$HEATERS_THEMES`, then `themes/` in the checkout the executable was built in (or the
    /// working directory's).
    public static var folders: [URL] {
        var result: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["HEATERS_THEMES"] { result.append(URL(fileURLWithPath: explicit)) }
        var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" {
            result.append(dir.appendingPathComponent("themes"))
            dir = dir.deletingLastPathComponent()
        }
        result.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("themes"))
        return result
    }
}

public struct ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
