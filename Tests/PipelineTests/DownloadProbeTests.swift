import Media
import Queue
@testable import Pipeline
import Testing

/// What the download stage accepts of a probe: a frame rate it can cut by, or a clear
/// permanent failure (before the schema's CHECK would refuse it as a raw, retried SQL error).
@Suite struct DownloadProbeTests {
    static func info(_ rate: Rational) -> MediaInfo {
        MediaInfo(durationSeconds: 10, frameRate: rate, variableFrameRateSuspected: false, width: 320, height: 180,
                  rotation: 0, hasAudio: false, videoCodec: "h264", containerFormat: "mov,mp4")
    }

    @Test(arguments: [Rational(0, 1), Rational(0, 0), Rational(1, 0), Rational(90000, 1), Rational(1, 2)])
    func anUnusableRateIsAPermanentFailureThatSaysWhatToDo(rate: Rational) {
        #expect {
            try DownloadStage.checkFrameRate(Self.info(rate), name: "clip.mp4")
        } throws: { error in
            error is PermanentFailure && "\(error)".contains("clip.mp4 declares a frame rate of") && "\(error)".contains("re-encode")
        }
    }

    @Test(arguments: [Rational(25, 1), Rational(30000, 1001), Rational(240, 1)])
    func ordinaryRatesPass(rate: Rational) throws {
        try DownloadStage.checkFrameRate(Self.info(rate), name: "clip.mp4")
    }
}
