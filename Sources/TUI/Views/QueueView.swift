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

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
