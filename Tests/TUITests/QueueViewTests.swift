import Domain
import Testing
@testable import TUI

@Suite struct QueueViewTests {
    let entry = QueueEntry(clipID: 1234, sourceTitle: "Interview 3", startFrame: 18_087, endFrame: 18_228,
                           startSeconds: 723.48, endSeconds: 729.12, state: .pendingReview)

    @Test func aLineShowsIdDurationFramesAndSpan() {
        let line = QueueView.line(entry, selected: true, width: 100)
        #expect(line.hasPrefix(">   1234"))
        #expect(line.contains("5.6s"))
        #expect(line.contains("141 f"))
        #expect(line.contains("00:12:03.480–00:12:09.120"))
        #expect(line.contains("Interview 3"))
        #expect(line.count == 100)
        #expect(QueueView.line(entry, selected: false, width: 100).hasPrefix("    1234"))
    }

    @Test func timecodesRoundToMilliseconds() {
        #expect(Timecode.format(0) == "00:00:00.000")
        #expect(Timecode.format(3723.0004) == "01:02:03.000")
        #expect(Timecode.format(59.9996) == "00:01:00.000")
        #expect(Timecode.format(-1) == "00:00:00.000")
    }
}
