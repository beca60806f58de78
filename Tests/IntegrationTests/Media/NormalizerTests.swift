import Foundation
@testable import Media
import Testing

/// Normalization (re-mux, then re-encode) against real media made by the ffmpeg CLI at test
/// time and damaged at the byte level (`DamagedMedia`).
@Suite(.timeLimit(.minutes(12))) struct NormalizerTests {
    @Test func aCleanFileIsLeftUntouched() throws {
        let directory = try ProjectPaths.freshDirectory("normalize-clean")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try VideoFixtures.testPattern(at: directory.appendingPathComponent("clean.mp4"), seconds: 3, withAudio: true)
        let before = try Data(contentsOf: file)

        let result = try Normalizer.normalize(input: file.path, workFolder: directory.path)

        #expect(result.step == .none)
        #expect(result.path == file.path)
        #expect(result.reason == "decodes cleanly")
        #expect(try Data(contentsOf: file) == before)
        let written = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(written == ["clean.mp4"], "no repaired copy is written")
    }

    @Test func timestampsGoingBackwardsAreMendedByARemux() throws {
        let directory = try ProjectPaths.freshDirectory("normalize-remux")
        defer { try? FileManager.default.removeItem(at: directory) }
        let broken = try DamagedMedia.rewoundPattern(in: directory)

        let result = try Normalizer.normalize(input: broken.path, workFolder: directory.path)

        #expect(result.step == .remux)
        #expect(result.reason.contains("decode timestamps go backwards"), "\(result.reason)")
        #expect(try DecodeCheck.run(path: result.path).isClean)
        let info = try VideoProbe.probe(path: result.path)
        #expect(info.containerFormat.contains("mp4") && info.videoCodec == "h264" && info.hasAudio)
        #expect(try VideoProbe.countDecodedFrames(path: result.path) == 250, "a stream copy keeps every frame")
    }

    @Test func damagedVideoIsReencodedKeepingFramesAndAudio() throws {
        let directory = try ProjectPaths.freshDirectory("normalize-reencode")
        defer { try? FileManager.default.removeItem(at: directory) }
        let damaged = try DamagedMedia.damagedPattern(in: directory, span: 0.45...0.47)
        let fractions = ProgressLog()

        let result = try Normalizer.normalize(input: damaged.path, workFolder: directory.path, progress: fractions.append)

        #expect(result.step == .reencode, "\(result.reason)")
        #expect(result.reason.contains("video decoding error"), "\(result.reason)")
        #expect(try DecodeCheck.run(path: result.path).isClean)
        let frames = try VideoProbe.countDecodedFrames(path: result.path)
        #expect((240...250).contains(frames), "\(frames) of 250 frames kept")
        let info = try VideoProbe.probe(path: result.path)
        #expect(info.videoCodec == "h264" && info.width == 320 && info.height == 240)
        #expect(info.hasAudio)
        let samples = try VideoFixtures.monoSamples(of: URL(fileURLWithPath: result.path))
        #expect(abs(samples.count - 480_000) < 4_800, "about 10 s of 48 kHz audio: \(samples.count) samples")
        #expect(fractions.values == fractions.values.sorted() && fractions.values.last == 1)
    }

    @Test func aReencodeKeepsTheRotation() throws {
        let directory = try ProjectPaths.freshDirectory("normalize-rotation")
        defer { try? FileManager.default.removeItem(at: directory) }
        let damaged = try DamagedMedia.damagedPattern(in: directory, span: 0.45...0.47)
        let rotated = try VideoFixtures.remux(damaged, to: directory.appendingPathComponent("rotated.mp4"), rotateTag: 90)
        #expect(try VideoProbe.probe(path: rotated.path).rotation == 270)

        let result = try Normalizer.normalize(input: rotated.path, workFolder: directory.path)

        #expect(result.step == .reencode, "\(result.reason)")
        #expect(try VideoProbe.probe(path: result.path).rotation == 270, "the display matrix is carried over")
    }

    @Test func aFileBeyondRepairFailsWithAReadableMessage() throws {
        let directory = try ProjectPaths.freshDirectory("normalize-ruined")
        defer { try? FileManager.default.removeItem(at: directory) }
        let ruined = try DamagedMedia.damagedPattern(in: directory, span: 0.1...1, name: "ruined.mp4")

        #expect {
            try Normalizer.normalize(input: ruined.path, workFolder: directory.path)
        } throws: { error in
            guard case MediaError.undecodable(_, let reason) = error else { return false }
            return reason.contains("video decoding error") && reason.contains("after a re-mux")
                && reason.contains("re-encode")
        }
    }

    @Test func cancellingStopsTheRepair() throws {
        let directory = try ProjectPaths.freshDirectory("normalize-cancel")
        defer { try? FileManager.default.removeItem(at: directory) }
        let damaged = try DamagedMedia.damagedPattern(in: directory, span: 0.45...0.47, withAudio: false)
        let fractions = ProgressLog()

        #expect(throws: MediaError.cancelled) {
            try Normalizer.normalize(input: damaged.path, workFolder: directory.path, progress: fractions.append,
                                     isCancelled: { fractions.values.last ?? 0 >= 0.3 })
        }
    }
}

/// Progress values a normalization reported, in order.
private final class ProgressLog: @unchecked Sendable {
    private(set) var values: [Double] = []
    func append(_ value: Double) { values.append(value) }
}
