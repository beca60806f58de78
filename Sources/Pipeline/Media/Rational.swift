/// An exact ratio such as a frame rate (30000/1001) or a time base, as libav stores it.
public struct Rational: Sendable, Hashable, CustomStringConvertible {
    public var numerator: Int32
    public var denominator: Int32

    public init(_ numerator: Int32, _ denominator: Int32) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// libav writes 0/0 (or x/0) when it does not know a rate.
    public var isValid: Bool { numerator != 0 && denominator != 0 }

    /// The value as a Double; 0 when the ratio is not valid.
    public var doubleValue: Double { isValid ? Double(numerator) / Double(denominator) : 0 }

    /// Equality of values rather than of representations (50/2 equals 25/1).
    public func isEquivalent(to other: Rational) -> Bool {
        Int64(numerator) * Int64(other.denominator) == Int64(other.numerator) * Int64(denominator)
    }

    public var description: String { "\(numerator)/\(denominator)" }
}
