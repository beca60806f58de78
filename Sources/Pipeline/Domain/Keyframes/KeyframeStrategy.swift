/// Which frames of a clip become its keyframes: positions through the clip (0 its first
/// frame, 1 its end), each with the tag the still is stored under. The original design's
/// `midpoint` ([0.5], tag `mid`) and `multi` ([0.25, 0.5, 0.75], `25pct`, `50pct`, `75pct`),
/// and strategies named in config.
public struct KeyframeStrategy: Sendable, Equatable {
    public var name: String
    public var positions: [Position]

    public struct Position: Sendable, Equatable {
        public var fraction: Double
        public var tag: String

        public init(fraction: Double, tag: String) {
            self.fraction = fraction
            self.tag = tag
        }
    }

    public init(name: String, positions: [Position]) {
        self.name = name
        self.positions = positions
    }

    /// A strategy from fractions, tagged `<percent>pct` to a tenth (0.1 → `10pct`, 0.125 → `12.5pct`).
    public init(name: String, fractions: [Double]) {
        self.init(name: name, positions: fractions.map { fraction in
            let percent = (fraction * 1000).rounded() / 10
            let text = percent == percent.rounded() ? String(Int(percent)) : String(percent)
            return Position(fraction: fraction, tag: "\(text)pct")
        })
    }

    public static let midpoint = KeyframeStrategy(name: "midpoint", positions: [Position(fraction: 0.5, tag: "mid")])
    public static let multi = KeyframeStrategy(name: "multi", fractions: [0.25, 0.5, 0.75])
    public static let builtIn = [midpoint, multi]

    /// The source frame of each position in the clip of frames [start, end): the frame at
    /// `start + ⌊fraction × length⌋`, kept inside the clip.
    public func frames(start: Int, end: Int) -> [(tag: String, frame: Int)] {
        let length = max(1, end - start)
        return positions.map { position in
            let offset = Int((position.fraction * Double(length)).rounded(.down))
            return (position.tag, start + min(max(offset, 0), length - 1))
        }
    }
}
