/// Text as the terminal shows it: measured in display cells (a CJK character takes two, a
/// combining mark none) and stripped of control characters, so a video title can neither
/// break the layout nor send escape sequences.
public enum DisplayText {
    /// Control and format characters (C0, C1, DEL, bidi overrides) become nothing; tabs and
    /// newlines a space.
    public static func clean(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\t" || scalar == "\n" || scalar == "\r" { out.append(" "); continue }
            switch scalar.properties.generalCategory {
            case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: continue
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// Display cells of one scalar: 0, 1 or 2.
    public static func cells(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        let v = scalar.value
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v)
            || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    public static func width(_ text: String) -> Int { text.unicodeScalars.reduce(0) { $0 + cells($1) } }

    /// The longest prefix that fits `width` cells, with an ellipsis when cut.
    public static func fit(_ text: String, _ width: Int, ellipsis: Bool = true) -> String {
        guard width > 0 else { return "" }
        if self.width(text) <= width { return text }
        var out = String.UnicodeScalarView()
        var used = 0
        let room = ellipsis ? width - 1 : width
        for scalar in text.unicodeScalars {
            let w = cells(scalar)
            if used + w > room { break }
            out.append(scalar)
            used += w
        }
        return String(out) + (ellipsis ? "…" : "")
    }

    /// Pads with spaces (or cuts) to exactly `width` cells.
    public static func pad(_ text: String, _ width: Int) -> String {
        let fitted = fit(text, width)
        return fitted + String(repeating: " ", count: max(0, width - self.width(fitted)))
    }
}

extension String {
    /// Right-aligned in `width` characters (ids and numbers in columns).
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
