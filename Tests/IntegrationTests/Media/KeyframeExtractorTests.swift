import Foundation
@testable import Media
import Testing

/// KeyframeExtractor against gold masters that `Preprocessor` makes from media the ffmpeg CLI
/// generates at test time (testsrc2: a frame counter, so every frame differs). Stills and
/// master frames are both decoded by the ffmpeg CLI to packed RGB, which applies each file's
/// own range and matrix, so a still shown with wrong levels or colours differs visibly.
@Suite(.timeLimit(.minutes(12))) struct KeyframeExtractorTests {
    /// The masters, made once for the suite.
    struct Masters: Sendable {
        var directory: URL
        /// 6 s at 25 fps (150 frames), 320x240, with audio.
        var plain: URL
        /// The H.264 source `plain` was made from (x264's GOPs, B-frames), which decodes to
        /// the same frames.
        var interCoded: URL
        /// 1 s, 320x240 with pixels twice as wide as high (displayed 640x240): from Preprocessor
        /// (the aspect only in FFV1's headers) and from the ffmpeg CLI (in Matroska's too).
        var wide: [URL]
        /// 1 s, 320x240, tagged BT.709.
        var bt709: URL
    }

    static let shared = Result { () throws -> Masters in
        let directory = try ProjectPaths.freshDirectory("stills")
        let plain = directory.appendingPathComponent("plain.mkv")
        try VideoFixtures.run([
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "6", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "flac", plain.path,
        ])
        let wide = directory.appendingPathComponent("wide.mkv")
        try VideoFixtures.run(["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "1", "-vf", "setsar=2/1",
                               "-c:v", "libx264", "-pix_fmt", "yuv420p", wide.path])
        let wideCLI = directory.appendingPathComponent("wide-cli.gold.mkv")
        try VideoFixtures.run(["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "1", "-vf", "setsar=2/1",
                               "-c:v", "ffv1", "-level", "3", "-g", "1", "-slicecrc", "1", "-pix_fmt", "yuv420p", wideCLI.path])
        let bt709 = directory.appendingPathComponent("bt709.mkv")
        try VideoFixtures.run(["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "1",
                               "-c:v", "libx264", "-pix_fmt", "yuv420p",
                               "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", bt709.path])
        var golds: [URL] = []
        for source in [plain, bt709, wide] {
            let gold = directory.appendingPathComponent("\(source.deletingPathExtension().lastPathComponent).gold.mkv")
            _ = try Preprocessor.run(input: source.path, goldMaster: gold.path,
                                     proxy: directory.appendingPathComponent("\(gold.lastPathComponent).proxy.mp4").path)
            golds.append(gold)
        }
        return Masters(directory: directory, plain: golds[0], interCoded: plain, wide: [golds[2], wideCLI], bt709: golds[1])
    }

    /// The plain master's frames as RGB, at its size and at 160x120.
    static let plainFrames = Result { () throws -> (full: [[UInt8]], small: [[UInt8]]) in
        let masters = try shared.get()
        return (try rgbFrames(of: masters.plain, width: 320, height: 240),
                try rgbFrames(of: masters.plain, width: 160, height: 120))
    }

    let masters: Masters

    init() throws { masters = try Self.shared.get() }

    @Test func eachStillIsItsMasterFrameNotANeighbourInTheOrderAsked() throws {
        let extractor = try KeyframeExtractor(master: masters.plain.path)
        #expect(extractor.frameCount == 150)
        let master = try Self.plainFrames.get().full
        try #require(master.count == 150)
        // Out of order, a duplicate, neighbours read on without a seek, and both ends.
        let asked = [74, 0, 149, 37, 38, 36, 37, 1, 100]

        let stills = try extractor.stills(frames: asked)

        #expect(stills.map(\.frame) == asked)
        #expect(stills[3] == stills[6])
        for still in stills {
            let label = "frame \(still.frame)"
            #expect(still.width == 320 && still.height == 240, "\(label)")
            Self.expectJPEG(still.jpeg, width: 320, height: 240, label)
            let picture = try decodeJPEG(still.jpeg, name: "plain-\(still.frame)", width: 320, height: 240)
            let own = Self.meanAbsoluteDifference(picture, master[still.frame])
            // Levels and colours right: quality 90 stays within a few values of the master.
            #expect(own < 3, "\(label): differs from its master frame by \(own)")
            for neighbour in [still.frame - 1, still.frame + 1] where master.indices.contains(neighbour) {
                let other = Self.meanAbsoluteDifference(picture, master[neighbour])
                #expect(own < other, "\(label) differs by \(own), neighbour \(neighbour) by \(other)")
            }
        }
    }

    @Test func anInterCodedVideoGivesExactFramesToo() throws {
        let extractor = try KeyframeExtractor(master: masters.interCoded.path)
        #expect(extractor.frameCount == 150)
        let master = try Self.plainFrames.get().full

        let stills = try extractor.stills(frames: [149, 37, 0, 74, 75])

        for still in stills {
            let picture = try decodeJPEG(still.jpeg, name: "inter-\(still.frame)", width: 320, height: 240)
            let own = Self.meanAbsoluteDifference(picture, master[still.frame])
            for neighbour in [still.frame - 1, still.frame + 1] where master.indices.contains(neighbour) {
                let other = Self.meanAbsoluteDifference(picture, master[neighbour])
                #expect(own < other, "frame \(still.frame) differs by \(own), neighbour \(neighbour) by \(other)")
            }
        }
    }

    @Test func maxHeightScalesDownKeepingTheDisplayAspect() throws {
        let extractor = try KeyframeExtractor(master: masters.plain.path)
        let master = try Self.plainFrames.get().small

        let stills = try extractor.stills(frames: [0, 37, 74, 149], maxHeight: 120)

        for still in stills {
            let label = "frame \(still.frame)"
            #expect(still.width == 160 && still.height == 120, "\(label)")
            Self.expectJPEG(still.jpeg, width: 160, height: 120, label)
            let picture = try decodeJPEG(still.jpeg, name: "small-\(still.frame)", width: 160, height: 120)
            let own = Self.meanAbsoluteDifference(picture, master[still.frame])
            for neighbour in [still.frame - 1, still.frame + 1] where master.indices.contains(neighbour) {
                let other = Self.meanAbsoluteDifference(picture, master[neighbour])
                #expect(own < other, "\(label) differs by \(own), neighbour \(neighbour) by \(other)")
            }
        }
        // A master no taller than maxHeight keeps its size.
        let same = try extractor.stills(frames: [5], maxHeight: 240)[0]
        #expect(same.width == 320 && same.height == 240)
        #expect(same == (try extractor.stills(frames: [5])[0]))
        // An odd maxHeight gives the even height below it.
        let odd = try extractor.stills(frames: [5], maxHeight: 91)[0]
        #expect(odd.width == 120 && odd.height == 90)
        Self.expectJPEG(odd.jpeg, width: 120, height: 90, "maxHeight 91")
    }

    @Test func nonSquarePixelsAreKeptAtTheMastersSizeAndSquaredWhenScaled() throws {
        for master in masters.wide {
            let extractor = try KeyframeExtractor(master: master.path)
            let label = master.lastPathComponent

            let full = try extractor.stills(frames: [10])[0]
            let scaled = try extractor.stills(frames: [10], maxHeight: 120)[0]

            #expect(full.width == 320 && full.height == 240, "\(label)")
            #expect(Self.jfifDensity(full.jpeg) == [2, 1], "\(label)")
            // 640x240 displayed, so 320x120 with square pixels.
            #expect(scaled.width == 320 && scaled.height == 120, "\(label)")
            Self.expectJPEG(scaled.jpeg, width: 320, height: 120, "\(label) scaled")
            #expect(Self.jfifDensity(scaled.jpeg) == [1, 1], "\(label)")
        }
    }

    @Test func aBT709MasterIsConvertedToTheMatrixJPEGDecodersAssume() throws {
        let extractor = try KeyframeExtractor(master: masters.bt709.path)
        let asTagged = try Self.rgbFrames(of: masters.bt709, width: 320, height: 240)
        let misread = try Self.rgbFrames(of: masters.bt709, width: 320, height: 240,
                                         scaleOptions: ":in_color_matrix=bt601")

        let still = try extractor.stills(frames: [12], quality: 100)[0]

        let picture = try decodeJPEG(still.jpeg, name: "bt709-12", width: 320, height: 240)
        let right = Self.meanAbsoluteDifference(picture, asTagged[12])
        let wrong = Self.meanAbsoluteDifference(picture, misread[12])
        #expect(right < 2, "differs from the master shown as BT.709 by \(right)")
        #expect(right * 2 < wrong, "BT.709: \(right), misread as BT.601: \(wrong)")
    }

    @Test func qualityTradesSizeForFidelity() throws {
        let extractor = try KeyframeExtractor(master: masters.plain.path)
        let master = try Self.plainFrames.get().full

        let best = try extractor.stills(frames: [60], quality: 100)[0]
        let usual = try extractor.stills(frames: [60])[0]
        let worst = try extractor.stills(frames: [60], quality: 1)[0]

        #expect(best.jpeg.count > usual.jpeg.count && usual.jpeg.count > worst.jpeg.count,
                "\(best.jpeg.count), \(usual.jpeg.count), \(worst.jpeg.count) bytes")
        let errors = try [(best, "best"), (worst, "worst")].map { still, name in
            Self.meanAbsoluteDifference(try decodeJPEG(still.jpeg, name: name, width: 320, height: 240), master[60])
        }
        #expect(errors[0] < errors[1], "\(errors)")
        #expect(KeyframeExtractor.qscale(forQuality: 100) == 1)
        #expect(KeyframeExtractor.qscale(forQuality: 90) == 4)
        #expect(KeyframeExtractor.qscale(forQuality: 1) == 31)
    }

    @Test func framesOutsideTheMasterBadArgumentsAndBadMastersThrow() throws {
        let extractor = try KeyframeExtractor(master: masters.plain.path)
        for frames in [[150], [-1], [0, 200, 3]] {
            do {
                _ = try extractor.stills(frames: frames)
                Issue.record("\(frames) gave stills")
            } catch {
                guard case .undecodable(_, let reason) = error else { Issue.record("\(error)"); continue }
                let outside = frames.first { !(0..<150).contains($0) }!
                #expect(reason.contains("150") && reason.contains("frame \(outside)"), "\(reason)")
            }
        }
        for (quality, maxHeight) in [(0, nil), (101, nil), (90, 1)] as [(Int, Int?)] {
            #expect(throws: MediaError.self) { try extractor.stills(frames: [0], maxHeight: maxHeight, quality: quality) }
        }
        #expect(try extractor.stills(frames: []).isEmpty)
        // The extractor still works after refusing.
        #expect(try extractor.stills(frames: [149]).map(\.frame) == [149])

        let missing = masters.directory.appendingPathComponent("nope.mkv").path
        #expect(throws: MediaError.fileNotFound(path: missing)) { try KeyframeExtractor(master: missing) }
        let garbage = masters.directory.appendingPathComponent("garbage.mkv")
        try Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }).write(to: garbage)
        #expect(throws: MediaError.self) { try KeyframeExtractor(master: garbage.path) }
    }

    // MARK: - Helpers

    /// A whole JPEG: SOI first, EOI last, and a baseline frame header of the given size.
    static func expectJPEG(_ jpeg: [UInt8], width: Int, height: Int, _ label: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(jpeg.count > 4 && Array(jpeg.prefix(2)) == [0xFF, 0xD8] && Array(jpeg.suffix(2)) == [0xFF, 0xD9],
                "\(label)", sourceLocation: sourceLocation)
        guard let sof = segment(0xC0, in: jpeg), sof.count >= 5 else {
            Issue.record("\(label): no SOF0", sourceLocation: sourceLocation)
            return
        }
        let size = [Int(sof[sof.startIndex + 3]) << 8 | Int(sof[sof.startIndex + 4]),
                    Int(sof[sof.startIndex + 1]) << 8 | Int(sof[sof.startIndex + 2])]
        #expect(size == [width, height], "\(label): SOF0 says \(size)", sourceLocation: sourceLocation)
    }

    /// The JFIF header's pixel density (x, y); nil without one.
    static func jfifDensity(_ jpeg: [UInt8]) -> [Int]? {
        guard let app0 = segment(0xE0, in: jpeg), app0.count >= 12, Array(app0.prefix(5)) == Array("JFIF\0".utf8) else {
            return nil
        }
        let i = app0.startIndex
        return [Int(app0[i + 8]) << 8 | Int(app0[i + 9]), Int(app0[i + 10]) << 8 | Int(app0[i + 11])]
    }

    /// The payload of the first marker segment `marker` before the scan data.
    static func segment(_ marker: UInt8, in jpeg: [UInt8]) -> ArraySlice<UInt8>? {
        var at = 2
        while at + 4 <= jpeg.count, jpeg[at] == 0xFF {
            let kind = jpeg[at + 1], length = Int(jpeg[at + 2]) << 8 | Int(jpeg[at + 3])
            let payload = jpeg[min(jpeg.count, at + 4)..<min(jpeg.count, at + 2 + length)]
            if kind == marker { return payload }
            if kind == 0xDA { return nil }
            at += 2 + length
        }
        return nil
    }

    /// Every frame of `video` as packed RGB at `width`×`height`, decoded by the ffmpeg CLI
    /// (`scaleOptions` appended to its scale filter's).
    static func rgbFrames(of video: URL, width: Int, height: Int, scaleOptions: String = "") throws -> [[UInt8]] {
        let output = video.deletingLastPathComponent()
            .appendingPathComponent("\(video.lastPathComponent).\(UUID().uuidString.prefix(6)).rgb")
        defer { try? FileManager.default.removeItem(at: output) }
        try VideoFixtures.run(["-i", video.path, "-map", "0:v:0", "-vf", "scale=\(width):\(height)\(scaleOptions)",
                               "-f", "rawvideo", "-pix_fmt", "rgb24", output.path])
        let bytes = [UInt8](try Data(contentsOf: output))
        let size = width * height * 3
        return stride(from: 0, to: bytes.count - size + 1, by: size).map { Array(bytes[$0..<$0 + size]) }
    }

    /// A JPEG decoded by the ffmpeg CLI into packed RGB.
    private func decodeJPEG(_ jpeg: [UInt8], name: String, width: Int, height: Int) throws -> [UInt8] {
        let file = masters.directory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(6)).jpg")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(jpeg).write(to: file)
        let frames = try Self.rgbFrames(of: file, width: width, height: height)
        try #require(frames.count == 1)
        return frames[0]
    }

    static func meanAbsoluteDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        precondition(a.count == b.count && !a.isEmpty)
        var total = 0
        for i in a.indices { total += abs(Int(a[i]) - Int(b[i])) }
        return Double(total) / Double(a.count)
    }
}
