import Foundation

/// How many colours the terminal gets: none (NO_COLOR or `color = none`), the xterm 256-colour
/// palette, or 24-bit colour through a `*-direct` terminfo entry.
public enum ColorMode: String, Sendable, Equatable {
    case none, palette256 = "256", direct = "truecolor"

    /// The mode for a `color` setting: `auto` takes truecolor when COLORTERM says so (SSH does
    /// not forward it by default, hence the setting); NO_COLOR always wins.
    public static func choose(setting: String, environment: [String: String]) -> ColorMode {
        if environment["NO_COLOR"].map({ !$0.isEmpty }) ?? false { return .none }
        switch setting {
        case "none": return .none
        case "256": return .palette256
        case "truecolor": return .direct
        default: return ["truecolor", "24bit"].contains(environment["COLORTERM"]?.lowercased() ?? "") ? .direct : .palette256
        }
    }
}

/// Colour numbers as curses takes them, for each mode.
enum ColorNumbers {
    /// The xterm palette's first 16 colours as RGB (what direct-colour terminals need instead
    /// of palette numbers 8–15).
    static let system: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    static let levels: [Int] = [0, 95, 135, 175, 215, 255]

    /// A 24-bit colour as a palette number 16–255: the nearest of the 6×6×6 cube and the gray ramp.
    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        func level(_ v: UInt8) -> Int { Int(v) < 48 ? 0 : Int(v) < 115 ? 1 : (Int(v) - 35) / 40 }
        let (ri, gi, bi) = (level(r), level(g), level(b))
        let cube = (levels[ri], levels[gi], levels[bi])
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let grayIndex = average > 238 ? 23 : max(0, (average - 3) / 10)
        let gray = 8 + 10 * grayIndex
        func distance(_ c: (Int, Int, Int)) -> Int {
            let dr = Int(r) - c.0, dg = Int(g) - c.1, db = Int(b) - c.2
            return dr * dr + dg * dg + db * db
        }
        return distance(cube) <= distance((gray, gray, gray)) ? 16 + 36 * ri + 6 * gi + bi : 232 + grayIndex
    }

    /// A palette number as RGB.
    static func rgb(palette index: Int) -> (UInt8, UInt8, UInt8) {
        if index < 16 { return system[max(index, 0)] }
        if index >= 232 { let v = UInt8(8 + 10 * (index - 232)); return (v, v, v) }
        let i = index - 16
        return (UInt8(levels[i / 36]), UInt8(levels[i / 6 % 6]), UInt8(levels[i % 6]))
    }

    /// A colour number for direct-colour curses: 0xRRGGBB, kept clear of 0–7, which such
    /// terminfo entries send as palette colours.
    static func direct(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int32 {
        let value = Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        return value < 8 ? 8 : value
    }

    static func number(_ color: Theme.Color, mode: ColorMode) -> Int32 {
        switch (color, mode) {
        case (.terminal, _): return -1
        case (.palette(let i), .palette256): return Int32(i)
        case (.palette(let i), .direct): return i < 8 ? Int32(i) : { let c = rgb(palette: i); return direct(c.0, c.1, c.2) }()
        case (.rgb(let r, let g, let b), .palette256): return Int32(nearest256(r, g, b))
        case (.rgb(let r, let g, let b), .direct): return direct(r, g, b)
        case (_, .none): return -1
        }
    }
}
