import Foundation
@testable import Media
import Testing

/// DecodeCheck against real media made by the ffmpeg CLI at test time, some of it damaged at
/// the byte level (`DamagedMedia`).
@Suite(.timeLimit(.minutes(12))) struct DecodeCheckTests {
    @Test func aCleanFileHasNoProblems() throws {
        let directory = try ProjectPaths.freshDirectory("check-clean")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try VideoFixtures.testPattern(at: directory.appendingPathComponent("clean.mp4"), seconds: 4,
                                                 withAudio: true, keyframeInterval: 25)

        let report = try DecodeCheck.run(path: file.path)

        #expect(report.isClean, "\(report.summary)")
        #expect(report.summary == "decodes cleanly")
        #expect(report.decodedEverything, "a 4 s file is decoded whole")
        #expect(report.videoFramesDecoded == 100)
        #expect(report.audioFramesDecoded > 0)
        #expect(report.packetsRead > 100, "every video and audio packet is demuxed")
    }

    @Test func aLongFileIsSampledNotDecodedWhole() throws {
        let directory = try ProjectPaths.freshDirectory("check-long")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try VideoFixtures.testPattern(at: directory.appendingPathComponent("long.mp4"), seconds: 80,
                                                 width: 160, height: 120, keyframeInterval: 25)

        let report = try DecodeCheck.run(path: file.path, budget: DecodeCheck.Budget(segments: 8, framesPerSegment: 50))

        #expect(report.isClean, "\(report.summary)")
        #expect(!report.decodedEverything)
        #expect(report.packetsRead == 2000, "the demux pass still reads every packet")
        // 8 runs of 50 frames, plus the frames a run decodes past its 50th while draining a packet.
        #expect(report.videoFramesDecoded >= 8 * 50 && report.videoFramesDecoded < 8 * 60,
                "decoded \(report.videoFramesDecoded) of 2000 frames")
    }

    @Test func seekingIntoOpenGOPsWithBFramesIsNotMistakenForDamage() throws {
        // Leading B-frames of an open GOP reference the GOP before the seek point; a decoder
        // started at the key frame cannot rebuild them, which is not damage in the file.
        let directory = try ProjectPaths.freshDirectory("check-open-gop")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("open-gop.mp4")
        try VideoFixtures.run(["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25", "-f", "lavfi",
                               "-i", "sine=frequency=440:sample_rate=48000", "-t", "60", "-c:v", "libx264",
                               "-pix_fmt", "yuv420p", "-bf", "3", "-x264-params", "open-gop=1:keyint=50:scenecut=0",
                               "-c:a", "aac", file.path])

        let report = try DecodeCheck.run(path: file.path)

        #expect(!report.decodedEverything)
        #expect(report.isClean, "\(report.summary)")
    }

    @Test func damagedVideoDataIsFound() throws {
        let directory = try ProjectPaths.freshDirectory("check-damaged")
        defer { try? FileManager.default.removeItem(at: directory) }
        let damaged = try DamagedMedia.damagedPattern(in: directory, span: 0.45...0.47)

        let report = try DecodeCheck.run(path: damaged.path)

        #expect(!report.isClean)
        #expect(report.problems.contains { if case .decodeErrors(.video, _, _) = $0 { true } else { false } },
                "\(report.summary)")
        #expect(report.summary.contains("video decoding error"), "\(report.summary)")
    }

    @Test func timestampsGoingBackwardsAreFound() throws {
        let directory = try ProjectPaths.freshDirectory("check-timestamps")
        defer { try? FileManager.default.removeItem(at: directory) }
        let broken = try DamagedMedia.rewoundPattern(in: directory)

        let report = try DecodeCheck.run(path: broken.path)

        #expect(report.problems == [.nonMonotonicTimestamps(.video, count: 9)], "\(report.summary)")
    }
}
