/// A JSON value whose objects keep their keys in the order written, rendered with four-space
/// indents as OpenTimelineIO writes `.otio` files: the same timeline always gives the same
/// bytes (a dictionary's order would not), and a diff of two exports reads like OTIO's own.
enum OrderedJSON {
    case object([(String, OrderedJSON)])
    case array([OrderedJSON])
    case string(String)
    /// A number already spelled as JSON (`25.0`, `29.97002997002997`, `12`).
    case number(String)
    case bool(Bool)
    case null

    static func integer(_ value: Int) -> OrderedJSON { .number(String(value)) }

    /// A double as the shortest text that reads back as the same double (Swift's description,
    /// which is also Python's repr): 25.0, 29.97002997002997. Never infinite or NaN here.
    static func double(_ value: Double) -> OrderedJSON { .number(value.description) }

    func rendered(indent: Int = 0) -> String {
        let inner = String(repeating: " ", count: (indent + 1) * 4)
        let outer = String(repeating: " ", count: indent * 4)
        switch self {
        case .object(let members):
            guard !members.isEmpty else { return "{}" }
            let lines = members.map { inner + Self.quoted($0.0) + ": " + $0.1.rendered(indent: indent + 1) }
            return "{\n" + lines.joined(separator: ",\n") + "\n" + outer + "}"
        case .array(let values):
            guard !values.isEmpty else { return "[]" }
            let lines = values.map { inner + $0.rendered(indent: indent + 1) }
            return "[\n" + lines.joined(separator: ",\n") + "\n" + outer + "]"
        case .string(let text): return Self.quoted(text)
        case .number(let text): return text
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        }
    }

    /// A JSON string literal (RFC 8259): quote, backslash and control characters escaped,
    /// everything else as UTF-8.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16, uppercase: false)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
