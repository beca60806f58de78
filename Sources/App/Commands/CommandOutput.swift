import Foundation

/// Shared formatting for the reporting commands (`status`, `jobs`, `retry`): JSON for
/// scripts, aligned plain text for people.
enum CommandOutput {
    /// One pretty-printed JSON document with sorted keys and ISO 8601 dates.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Text from users or the network (titles, tags, URLs, errors) made safe to print on a
    /// terminal: control characters — ESC, which starts a terminal escape sequence that could
    /// recolour, retitle or rewrite the screen, and the C1 controls — are shown as `\u{1B}`
    /// instead of being sent. Tab and newline are kept.
    static func visible(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar == "\t" || scalar == "\n" || !(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    /// Rows as columns separated by two spaces, each as wide as its widest cell; columns in
    /// `rightAligned` (numbers) are padded on the left. The last column is never padded.
    static func table(_ rows: [[String]], rightAligned: Set<Int> = [], indent: String = "") -> [String] {
        let rows = rows.map { $0.map(visible) }
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            let cells = row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                if rightAligned.contains(c) { return pad + cell }
                return c == row.count - 1 ? cell : cell + pad
            }
            var line = indent + cells.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// A message on one line, cut to `limit` characters with an ellipsis.
    static func oneLine(_ text: String?, limit: Int = 60) -> String {
        guard let text else { return "" }
        let flat = visible(text).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }

    /// A time in the local zone to the second, e.g. "2026-03-01 14:05:09".
    static func time(_ date: Date?) -> String {
        guard let date else { return "-" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    /// "source_video 12" → "video 12"; "clip 7"; subject type "none" → "-".
    static func subject(_ type: String, _ id: Int64) -> String {
        switch type {
        case "source_video": "video \(id)"
        case "none": "-"
        default: "\(type) \(id)"
        }
    }

    /// "1 job", "3 jobs".
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
