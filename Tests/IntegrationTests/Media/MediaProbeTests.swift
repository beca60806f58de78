import Foundation
@testable import Media
import Testing

/// VideoProbe against real files made by the ffmpeg CLI.
@Suite(.timeLimit(.minutes(12))) struct MediaProbeTests {
    let directory: URL

    init() throws { directory = try ProjectPaths.freshDirectory("media") }

    @Test func describesATestPatternWithAudio() throws {
        let video = try VideoFixtures.testPattern(at: directory.appendingPathComponent("av.mp4"), withAudio: true)

        let info = try VideoProbe.probe(path: video.path)

        #expect(info.width == 320)
        #expect(info.height == 240)
        #expect(info.frameRate.isEquivalent(to: Rational(25, 1)))
        #expect(info.framesPerSecond == 25)
        #expect(!info.variableFrameRateSuspected)
        #expect(abs(info.durationSeconds - 2) < 0.05)
        #expect(info.hasAudio)
        #expect(info.rotation == 0)
        #expect(info.videoCodec == "h264")
        #expect(info.containerFormat.split(separator: ",").contains("mp4"))
    }

    @Test func decodesEveryFrame() throws {
        let video = try VideoFixtures.testPattern(at: directory.appendingPathComponent("v.mp4"))

        #expect(try VideoProbe.probe(path: video.path).hasAudio == false)
        #expect(try VideoProbe.countDecodedFrames(path: video.path) == 50)
    }

    @Test func readsRotationFromTheDisplayMatrix() throws {
        let plain = try VideoFixtures.testPattern(at: directory.appendingPathComponent("plain.mp4"), seconds: 1)
        let rotated = try VideoFixtures.remux(plain, to: directory.appendingPathComponent("rot.mp4"), rotateTag: 90)

        // FFmpeg 5.1 stores `rotate=90` as a matrix that ffprobe reports as rotation=90
        // (counter-clockwise), so turning the frame upright takes 270 degrees clockwise.
        let info = try VideoProbe.probe(path: rotated.path)
        #expect(info.rotation == 270)
        #expect(info.width == 320 && info.height == 240)
    }

    @Test func audioOnlyHasNoVideoStream() throws {
        let audio = try VideoFixtures.sineAudio(at: directory.appendingPathComponent("tone.m4a"))

        #expect(throws: MediaError.noVideoStream(path: audio.path)) { try VideoProbe.probe(path: audio.path) }
        #expect(throws: MediaError.noVideoStream(path: audio.path)) {
            try VideoProbe.countDecodedFrames(path: audio.path)
        }
    }

    @Test func textIsNotMedia() throws {
        let text = directory.appendingPathComponent("notes.txt")
        try Data("these are notes, not a video\n".utf8).write(to: text)

        let error = #expect(throws: MediaError.self) { try VideoProbe.probe(path: text.path) }
        guard case .notMedia(let path, let reason)? = error else {
            Issue.record("expected .notMedia, got \(String(describing: error))")
            return
        }
        #expect(path == text.path)
        #expect(reason.contains("Invalid data"))
    }

    @Test func missingFileIsReportedAsSuch() {
        let missing = directory.appendingPathComponent("nope.mp4").path
        #expect(throws: MediaError.fileNotFound(path: missing)) { try VideoProbe.probe(path: missing) }
    }
}
