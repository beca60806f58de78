/// Times as PySceneDetect 0.7.2 writes them, reproduced to the last digit. Its times are
/// Python floats computed two ways, so frame 15 at 29.97 (exactly 0.5005 s) is 0.500 in a
/// seconds column (the float just under the tie) and 00:00:00.501 as a timecode (the float
/// just over it); the same float arithmetic is done here rather than exact decimals.
enum SceneDetectTime {
    /// `f"{seconds:.3f}"` of `FrameTimecode(frame, rate).seconds`: frame × den / num, one
    /// correctly rounded division (Python's `float(Fraction)`), as 3 decimals.
    static func seconds(_ frame: Int, _ rate: FrameRate) -> String {
        let value = Double(frame * rate.denominator) / Double(rate.numerator)
        let millis = thousandths(value)
        return "\(millis / 1000)." + pad(millis % 1000, 3)
    }

    /// `FrameTimecode(frame, rate).get_timecode()`, "HH:MM:SS.nnn": frame / float(rate)
    /// (two roundings, unlike `seconds`), split into hours and minutes, the seconds rounded
    /// to milliseconds and carried into the minute at 60.000.
    static func timecode(_ frame: Int, _ rate: FrameRate) -> String {
        let fps = Double(rate.numerator) / Double(rate.denominator)
        var seconds = Double(frame) / fps
        var hours = Int(seconds / 3600.0)
        seconds -= Double(hours) * 3600.0
        var minutes = Int(seconds / 60.0)
        seconds = max(0.0, seconds - Double(minutes) * 60.0)
        var millis = thousandths(seconds)
        if millis >= 60_000 {
            millis = 0
            minutes += 1
            if minutes >= 60 { minutes = 0; hours += 1 }
        }
        return pad(hours, 2) + ":" + pad(minutes, 2) + ":" + pad(millis / 1000, 2) + "." + pad(millis % 1000, 3)
    }

    /// `value` × 1000 rounded half to even on the float's exact binary value, which is what
    /// Python's `format(value, ".3f")` and `round(value, 3)` do (and C's printf).
    static func thousandths(_ value: Double) -> Int {
        // Below 0.0004 it rounds to 0; this also keeps subnormals out of the bit arithmetic.
        guard value.isFinite, value >= 0.0004 else { return 0 }
        // value = significand × 2^power exactly, the significand an integer below 2^53.
        let power = Int(value.exponent) - 52
        let significand = value.significandBitPattern | (1 << 52)
        if power >= 0 { return Int(significand << UInt64(power)) * 1000 }
        let scaled = significand * 1000   // below 2^63
        let shift = UInt64(-power)
        guard shift < 64 else { return 0 }
        var quotient = scaled >> shift
        let remainder = scaled & ((1 << shift) - 1)
        let half: UInt64 = 1 << (shift - 1)
        if remainder > half || (remainder == half && quotient & 1 == 1) { quotient += 1 }
        return Int(quotient)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
