import Foundation

/// hh:mm:ss.mmm, as the review station and the commands show times (754.48 → 00:12:34.480).
public enum Timecode {
    public static func format(_ seconds: Double) -> String {
        let totalMillis = Int((max(seconds, 0) * 1000).rounded())
        let h = totalMillis / 3_600_000, m = totalMillis / 60_000 % 60, s = totalMillis / 1000 % 60, ms = totalMillis % 1000
        return String(format: "%02d:%02d:%02d.%03d", h, m, s, ms)
    }
}

