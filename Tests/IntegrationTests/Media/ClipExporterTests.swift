import Foundation
@testable import Media
import Testing

/// ClipExporter against gold masters that `Preprocessor` makes from media the ffmpeg CLI
/// generates at test time: testsrc2 (a frame counter, so every frame differs) with a tone
/// that sounds for the first half of every second, so cuts in the audio can be located.
@Suite(.timeLimit(.minutes(12))) struct ClipExporterTests {
    /// The masters, made once for the suite.
    struct Masters: Sendable {
        var directory: URL
        /// 6 s at 25 fps (150 frames), 320x240, with audio.
        var withAudio: URL
        /// 2 s at 25 fps, no audio.
        var videoOnly: URL
    }

    static let shared = Result { () throws -> Masters in
        let directory = try ProjectPaths.freshDirectory("export")
        let source = directory.appendingPathComponent("src.mkv")
        try VideoFixtures.run([
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
            "-f", "lavfi", "-i", "aevalsrc=exprs=if(lt(mod(t\\,1)\\,0.5)\\,0.8*sin(2*PI*440*t)\\,0):s=48000",
            "-t", "6", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "flac", source.path,
        ])
        let silent = try VideoFixtures.testPattern(at: directory.appendingPathComponent("silent.mp4"), seconds: 2)
        let masters = Masters(directory: directory, withAudio: directory.appendingPathComponent("av.gold.mkv"),
                              videoOnly: directory.appendingPathComponent("silent.gold.mkv"))
        for (input, gold) in [(source, masters.withAudio), (silent, masters.videoOnly)] {
            _ = try Preprocessor.run(input: input.path, goldMaster: gold.path,
                                     proxy: directory.appendingPathComponent("\(gold.lastPathComponent).proxy.mp4").path)
        }
        return masters
    }

    let masters: Masters

    init() throws { masters = try Self.shared.get() }

    private func output(_ name: String) -> String { masters.directory.appendingPathComponent("\(name).mp4").path }

    @Test func oneExporterCutsSeveralClipsFrameExactlyInAnyOrder() throws {
        let exporter = try ClipExporter(master: masters.withAudio.path)
        #expect(exporter.frameCount == 150)
        #expect(exporter.frameRate == Rational(25, 1))
        let master = try Self.frames(of: masters.withAudio.path)
        #expect(master.count == 150)
        let masterOnsets = Self.onsets(try VideoFixtures.monoSamples(of: masters.withAudio))
        #expect(masterOnsets.count == 5)
        let small = ExportProfile(name: "small", crf: 23, preset: "veryfast", maxHeight: 120, audioBitrate: 96_000)

        for (start, end, profile) in [(100, 149, ExportProfile.defaults[0]), (0, 40, .defaults[0]),
                                      (37, 90, .defaults[1]), (60, 125, small)] {
            let label = "[\(start), \(end)) \(profile.name)"
            let path = output("clip-\(start)-\(end)-\(profile.name)")
            let clip = try exporter.export(startFrame: start, endFrame: end, profile: profile, output: path)

            // (1) Exactly the clip's frames, at the profile's size.
            #expect(clip.frames == end - start, "\(label)")
            #expect(try VideoProbe.countDecodedFrames(path: path) == end - start, "\(label)")
            let expectedSize = profile.maxHeight == 120 ? (160, 120) : (320, 240)
            #expect(clip.width == expectedSize.0 && clip.height == expectedSize.1, "\(label)")
            #expect(try VideoProbe.probe(path: path).frameRate.isEquivalent(to: Rational(25, 1)), "\(label)")

            // (2) The first and last frames are the master's start and end - 1, not their neighbours.
            let frames = try Self.frames(of: path)
            try #require(frames.count == end - start, "\(label)")
            for (picture, index) in [(frames[0], start), (frames[frames.count - 1], end - 1)] {
                let own = Self.meanAbsoluteDifference(picture, master[index])
                for neighbour in [index - 1, index + 1] where master.indices.contains(neighbour) {
                    let other = Self.meanAbsoluteDifference(picture, master[neighbour])
                    #expect(own < other, "\(label): frame \(index) differs by \(own), neighbour \(neighbour) by \(other)")
                }
            }

            // (3) The audio lasts as long as the video, and the tone starts where it did in the master.
            #expect(clip.hasAudio)
            let samples = try VideoFixtures.monoSamples(of: URL(fileURLWithPath: path))
            let videoSeconds = Double(end - start) / 25, audioSeconds = Double(samples.count) / 48000
            #expect(abs(audioSeconds - videoSeconds) <= 1.0 / 25, "\(label): audio \(audioSeconds) s, video \(videoSeconds) s")
            #expect(abs((clip.audioSeconds ?? 0) - videoSeconds) < 0.001, "\(label)")
            let clipStart = Double(start) / 25
            let expected = masterOnsets.filter { $0 > clipStart + 0.02 && $0 < Double(end) / 25 - 0.02 }.map { $0 - clipStart }
            let found = Self.onsets(samples)
            #expect(found.count == expected.count, "\(label): onsets \(found), expected \(expected)")
            for (got, want) in zip(found, expected) {
                #expect(abs(got - want) < 0.002, "\(label): tone starts at \(got) s, expected \(want) s")
            }

            // (4) +faststart: the moov box precedes mdat.
            let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 64 * 1024) ?? Data()
            let moov = try #require(head.range(of: Data("moov".utf8)), "\(label)")
            if let mdat = head.range(of: Data("mdat".utf8)) { #expect(moov.lowerBound < mdat.lowerBound, "\(label)") }
            #expect(clip.bytes == Int64(try Data(contentsOf: URL(fileURLWithPath: path)).count), "\(label)")
        }
    }

    @Test func theLosslessProfileReproducesTheMasterFramesBitForBit() throws {
        let archive = try #require(ExportProfile.defaults.first { $0.name == "archive" })
        let path = output("archive")

        let clip = try ClipExporter(master: masters.withAudio.path)
            .export(startFrame: 37, endFrame: 90, profile: archive, output: path)

        #expect(clip.frames == 53)
        let masterMD5s = try VideoFixtures.frameMD5s(of: masters.withAudio)
        #expect(try VideoFixtures.frameMD5s(of: URL(fileURLWithPath: path)) == Array(masterMD5s[37..<90]))
    }

    @Test func aMasterWithoutAudioGivesAVideoOnlyClip() throws {
        let path = output("silent")

        let clip = try ClipExporter(master: masters.videoOnly.path)
            .export(startFrame: 10, endFrame: 30, profile: .defaults[0], output: path)

        #expect(clip.frames == 20 && !clip.hasAudio && clip.audioSeconds == nil)
        #expect(try VideoProbe.countDecodedFrames(path: path) == 20)
        #expect(try Demuxed.audioStream(path: path) == nil)
    }

    @Test func rangesOutsideTheMasterAndBadMastersThrow() throws {
        let exporter = try ClipExporter(master: masters.withAudio.path)
        for (start, end) in [(140, 151), (-1, 10), (50, 50), (60, 40), (150, 160)] {
            do {
                _ = try exporter.export(startFrame: start, endFrame: end, profile: .defaults[0], output: output("range"))
                Issue.record("[\(start), \(end)) was exported")
            } catch {
                guard case .undecodable(_, let reason) = error else { Issue.record("\(error)"); continue }
                #expect(reason.contains("150"), "\(reason)")
            }
        }
        // The exporter still works after refusing.
        #expect(try exporter.export(startFrame: 149, endFrame: 150, profile: .defaults[0], output: output("last")).frames == 1)

        let missing = masters.directory.appendingPathComponent("nope.mkv").path
        #expect(throws: MediaError.fileNotFound(path: missing)) { try ClipExporter(master: missing) }
        let garbage = masters.directory.appendingPathComponent("garbage.mkv")
        try Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }).write(to: garbage)
        #expect(throws: MediaError.self) { try ClipExporter(master: garbage.path) }
        let whole = try Data(contentsOf: masters.withAudio)
        let cut = masters.directory.appendingPathComponent("cut.gold.mkv")
        try whole.prefix(whole.count / 2).write(to: cut)
        #expect(throws: MediaError.self) {
            try ClipExporter(master: cut.path).export(startFrame: 0, endFrame: 150, profile: .defaults[0], output: output("cut"))
        }
    }

    @Test func cancellationStopsTheExportAndProgressEndsAtOne() throws {
        let exporter = try ClipExporter(master: masters.withAudio.path)
        var checks = 0
        #expect(throws: MediaError.cancelled) {
            try exporter.export(startFrame: 0, endFrame: 100, profile: .defaults[0], output: output("cancel"),
                                isCancelled: { checks += 1; return checks > 5 })
        }
        #expect(checks == 6)

        var reported: [Double] = []
        _ = try exporter.export(startFrame: 20, endFrame: 120, profile: .defaults[0], output: output("progress"),
                                progress: { reported.append($0) })
        #expect(reported.count > 10)
        #expect(reported == reported.sorted())
        #expect(reported.last == 1)
    }

    // MARK: - Helpers

    /// Every frame of `path`, 160 pixels wide, packed BGR.
    static func frames(of path: String) throws -> [[UInt8]] {
        let reader = try DownscaledFrameReader(path: path, width: 160)
        var frames: [[UInt8]] = []
        var buffer: [UInt8] = []
        while try reader.next(into: &buffer) { frames.append(buffer) }
        return frames
    }

    static func meanAbsoluteDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        precondition(a.count == b.count && !a.isEmpty)
        var total = 0
        for i in a.indices { total += abs(Int(a[i]) - Int(b[i])) }
        return Double(total) / Double(a.count)
    }

    /// Times (seconds at 48 kHz) where the tone starts after at least 50 ms of quiet.
    static func onsets(_ samples: [Int16]) -> [Double] {
        let loud = 8000, quietRun = 2400
        var times: [Double] = []
        var quiet = 0
        for (i, sample) in samples.enumerated() {
            if abs(Int(sample)) > loud {
                if quiet >= quietRun { times.append(Double(i) / 48000) }
                quiet = 0
            } else {
                quiet += 1
            }
        }
        return times
    }
}
