/// A video's frame rate as the exact ratio editors' formats need: 30000/1001, not 29.97.
/// Timecode, EDL and XML rates are built from it, so a long timeline does not drift.
public struct FrameRate: Sendable, Hashable, Codable, CustomStringConvertible {
    public let numerator: Int
    public let denominator: Int

    /// nil unless both terms are positive. The ratio is kept as given (reduced).
    public init?(numerator: Int, denominator: Int) {
        guard numerator > 0, denominator > 0 else { return nil }
        let d = Self.gcd(numerator, denominator)
        self.numerator = numerator / d
        self.denominator = denominator / d
    }

    /// "30000/1001" or "25" → the rate.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let n = Int(parts[0]), let d = parts.count == 2 ? Int(parts[1]) : 1 else { return nil }
        self.init(numerator: n, denominator: d)
    }

    /// The exact rate a stored decimal stands for: the NTSC rates (24000/1001, 30000/1001,
    /// 60000/1001, …) when within 0.01 % of one, whole rates when within 0.01 %, otherwise the
    /// closest ratio with a denominator up to 1001. For rows recorded before the rational was.
    public static func approximating(_ fps: Double) -> FrameRate? {
        guard fps.isFinite, fps > 0, fps < 1000 else { return nil }
        for candidate in [1001, 1] {
            let n = (fps * Double(candidate)).rounded()
            let value = n / Double(candidate)
            if n > 0, abs(value - fps) / fps < 1e-4, candidate == 1 || Int(n) % 1000 == 0 {
                return FrameRate(numerator: Int(n), denominator: candidate)
            }
        }
        var best: (n: Int, d: Int, error: Double)?
        for d in 1...1001 {
            let n = Int((fps * Double(d)).rounded())
            guard n > 0 else { continue }
            let error = abs(Double(n) / Double(d) - fps)
            if best == nil || error < best!.error - 1e-12 { best = (n, d, error) }
        }
        return best.flatMap { FrameRate(numerator: $0.n, denominator: $0.d) }
    }

    public var doubleValue: Double { Double(numerator) / Double(denominator) }

    /// Frames per timecode second: 30 for 30000/1001, 24 for 24000/1001, 25 for 25.
    public var timecodeBase: Int { Int((doubleValue).rounded()) }

    /// Whether drop-frame timecode exists at this rate (29.97 and 59.94).
    public var allowsDropFrame: Bool {
        denominator == 1001 && (numerator == 30000 || numerator == 60000)
    }

    /// Whether this is an NTSC rate (a whole rate × 1000/1001).
    public var isNTSC: Bool { denominator == 1001 && numerator % 1000 == 0 }

    /// Seconds from the start to frame `frame`, exact as a ratio: frame × den / num.
    public func seconds(_ frame: Int) -> Double { Double(frame) * Double(denominator) / Double(numerator) }

    /// The duration of one frame, as seconds in lowest terms: (denominator, numerator).
    public var frameDuration: (numerator: Int, denominator: Int) { (denominator, numerator) }

    public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
