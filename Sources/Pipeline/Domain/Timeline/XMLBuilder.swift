/// Indented XML for the XML writers, built as text: attributes in the order given (so the same
/// timeline gives the same bytes) and every text and attribute escaped.
struct XMLBuilder {
    private(set) var text = ""
    private var depth = 0

    /// A line as it is (the prolog, a doctype).
    mutating func raw(_ line: String) { text += line + "\n" }

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        line("<" + name + Self.attributes(attributes) + ">")
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        line("</" + name + ">")
    }

    /// `<name a="…"/>`.
    mutating func empty(_ name: String, _ attributes: [(String, String)] = []) {
        line("<" + name + Self.attributes(attributes) + "/>")
    }

    /// `<name>text</name>`; a newline in the text stays one (element text keeps it).
    mutating func element(_ name: String, _ value: String) {
        line("<" + name + ">" + TimelineText.xml(value) + "</" + name + ">")
    }

    /// An attribute value: `TimelineText.xml`, and newline and tab as character references,
    /// since a parser turns a literal one inside an attribute into a space.
    static func attribute(_ value: String) -> String {
        TimelineText.xml(value).replacing("\n", with: "&#10;").replacing("\t", with: "&#9;")
    }

    private static func attributes(_ attributes: [(String, String)]) -> String {
        attributes.map { " " + $0.0 + "=\"" + attribute($0.1) + "\"" }.joined()
    }

    private mutating func line(_ content: String) {
        text += String(repeating: "    ", count: depth) + content + "\n"
    }
}
