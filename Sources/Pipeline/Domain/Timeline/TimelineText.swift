/// Escaping the writers share: XML text and attributes, percent-encoded paths.
public enum TimelineText {
    /// Text safe inside an XML element or a double-quoted attribute. Control characters other
    /// than tab and newline, which XML 1.0 forbids, become spaces.
    public static func xml(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// A path with every byte outside RFC 3986's unreserved set and `/` percent-encoded.
    public static func percentEncodedPath(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// One line of text: control characters (newlines included) become spaces, for line-based
    /// formats (EDL comments, CSV cells are quoted separately). That includes the C1 controls
    /// and U+2028/U+2029: Python's `str.splitlines`, which OTIO's EDL reader uses, also ends a
    /// line at U+0085 (NEL), U+2028 and U+2029.
    public static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { isLineBreakingOrControl($0) ? " " : $0 }))
    }

    private static func isLineBreakingOrControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
