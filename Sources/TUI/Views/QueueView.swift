import Foundation
import Domain

/// The queue listing: one line per clip. Pure text, so it is tested without a terminal.
public enum QueueView {
    public static func line(_ entry: QueueEntry, selected: Bool, width: Int) -> String {
        let marker = selected ? ">" : " "
        let duration = String(format: "%6.1fs", entry.durationSeconds)
        let span = "\(Timecode.format(entry.startSeconds))–\(Timecode.format(entry.endSeconds))"
        let text = "\(marker) \(String(entry.clipID).leftPadded(6))  \(duration)  \(entry.frameCount) f  \(span)  \(entry.sourceTitle)"
        return text.padding(toLength: max(width, 0), withPad: " ", startingAt: 0)
    }
}

/// hh:mm:ss.mmm, as the review station shows times.
public enum Timecode {
    public static func format(_ seconds: Double) -> String {
        let totalMillis = Int((max(seconds, 0) * 1000).rounded())
        let h = totalMillis / 3_600_000, m = totalMillis / 60_000 % 60, s = totalMillis / 1000 % 60, ms = totalMillis % 1000
        return String(format: "%02d:%02d:%02d.%03d", h, m, s, ms)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
