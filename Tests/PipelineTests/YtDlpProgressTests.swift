import Testing
@testable import Pipeline

@Suite struct YtDlpProgressTests {
    @Test func progressLinesBecomeFractions() {
        #expect(YtDlpProgress.fraction("heaters-progress  42.5%") == 0.425)
        #expect(YtDlpProgress.fraction("heaters-progress 100.0%") == 1)
        #expect(YtDlpProgress.fraction("[download] Destination: x.mp4") == nil)
        #expect(YtDlpProgress.fraction("heaters-progress   N/A%") == nil)
    }
}
