import CFFmpeg
import Foundation
@testable import Media
import Testing

/// Preprocessor against real media made by the ffmpeg CLI at test time.
@Suite(.timeLimit(.minutes(12))) struct PreprocessorTests {
    let directory: URL

    init() throws { directory = try ProjectPaths.freshDirectory("preprocess") }

    private func outputs(_ name: String) -> (gold: URL, proxy: URL) {
        (directory.appendingPathComponent("\(name).gold.mkv"), directory.appendingPathComponent("\(name).proxy.mp4"))
    }

    @Test func bothOutputsHaveTheSourceFrameCountAndTheProxySize() throws {
        let source = try VideoFixtures.testPattern(at: directory.appendingPathComponent("src.mp4"),
                                                   seconds: 2, width: 640, height: 480, rate: 25)
        let (gold, proxy) = outputs("count")

        let result = try Preprocessor.run(input: source.path, goldMaster: gold.path, proxy: proxy.path)

        let sourceFrames = try VideoProbe.countDecodedFrames(path: source.path)
        #expect(sourceFrames == 50)
        #expect(result.frameCount == sourceFrames)
        #expect(try VideoProbe.countDecodedFrames(path: gold.path) == sourceFrames)
        #expect(try VideoProbe.countDecodedFrames(path: proxy.path) == sourceFrames)
        #expect(result.frameRate.isEquivalent(to: Rational(25, 1)))
        #expect(result.retimedFrames == 0 && result.startTimecode == nil, "a constant-rate source maps one to one")
        #expect(result.width == 640 && result.height == 480)
        #expect(result.proxyHeight == 360 && result.proxyWidth == 480)
        #expect(!result.hasAudio)

        let proxyInfo = try VideoProbe.probe(path: proxy.path)
        #expect(proxyInfo.height == 360)
        #expect(proxyInfo.width % 2 == 0 && proxyInfo.width == 480)
        #expect(proxyInfo.videoCodec == "h264")
        #expect(proxyInfo.frameRate.isEquivalent(to: Rational(25, 1)))
        let goldInfo = try VideoProbe.probe(path: gold.path)
        #expect(goldInfo.videoCodec == "ffv1")
        #expect(goldInfo.width == 640 && goldInfo.height == 480)
        #expect(goldInfo.containerFormat.contains("matroska"))
    }

    @Test func honoursTheRequestedProxyHeightWithEvenDimensions() throws {
        // 16:9 at 240 lines is 426.67 wide: the width rounds to an even 426.
        let source = try VideoFixtures.testPattern(at: directory.appendingPathComponent("wide.mp4"),
                                                   seconds: 1, width: 640, height: 360, rate: 25)
        let (gold, proxy) = outputs("height")

        let result = try Preprocessor.run(input: source.path, goldMaster: gold.path, proxy: proxy.path, proxyHeight: 240)

        let info = try VideoProbe.probe(path: proxy.path)
        #expect(info.height == 240 && result.proxyHeight == 240)
        #expect(info.width == 426 && result.proxyWidth == 426)
    }

    @Test func everyProxyPacketIsAKeyFrameAndTheIndexIsUpFront() throws {
        let source = try VideoFixtures.testPattern(at: directory.appendingPathComponent("key.mp4"), seconds: 2)
        let (gold, proxy) = outputs("key")

        _ = try Preprocessor.run(input: source.path, goldMaster: gold.path, proxy: proxy.path)

        let flags = try Demuxed.videoPacketKeyFlags(path: proxy.path)
        #expect(flags.count == 50)
        #expect(flags.allSatisfy { $0 })
        // +faststart: the moov box precedes mdat.
        let head = try FileHandle(forReadingFrom: proxy).read(upToCount: 64 * 1024) ?? Data()
        let moov = head.range(of: Data("moov".utf8))
        let mdat = head.range(of: Data("mdat".utf8))
        #expect(moov != nil)
        if let moov, let mdat { #expect(moov.lowerBound < mdat.lowerBound) }
    }

    @Test func theGoldMasterDecodesToTheLosslessSourceBitForBit() throws {
        let source = try VideoFixtures.losslessPattern(at: directory.appendingPathComponent("lossless.mkv"),
                                                       seconds: 1, rate: "25")
        let (gold, proxy) = outputs("lossless")

        let result = try Preprocessor.run(input: source.path, goldMaster: gold.path, proxy: proxy.path)

        let sourceMD5s = try VideoFixtures.frameMD5s(of: source)
        let goldMD5s = try VideoFixtures.frameMD5s(of: gold)
        #expect(sourceMD5s.count == 25)
        #expect(result.frameCount == 25)
        #expect(goldMD5s == sourceMD5s)
    }

    @Test func aNonYUV420SourceStaysLosslessInItsOwnPixelFormat() throws {
        let source = try VideoFixtures.losslessPattern(at: directory.appendingPathComponent("444.mkv"),
                                                       seconds: 1, pixelFormat: "yuv444p")
        let (gold, proxy) = outputs("444")

        _ = try Preprocessor.run(input: source.path, goldMaster: gold.path, proxy: proxy.path)

        #expect(try VideoFixtures.frameMD5s(of: gold) == VideoFixtures.frameMD5s(of: source))
        #expect(try Demuxed.videoPixelFormat(path: gold.path) == "yuv444p")
        #expect(try Demuxed.videoPixelFormat(path: proxy.path) == "yuv420p")
    }

    @Test func audioBecomesAFLACTrackInTheGoldMaster() throws {
        let source = try VideoFixtures.testPattern(at: directory.appendingPathComponent("av.mp4"),
                                                   seconds: 2, withAudio: true)
        let (gold, proxy) = outputs("audio")

        let result = try Preprocessor.run(input: source.path, goldMaster: gold.path, proxy: proxy.path)

        #expect(result.hasAudio)
        let audio = try #require(try Demuxed.audioStream(path: gold.path))
        #expect(audio.codec == "flac")
        #expect(audio.sampleRate == 48000)
        #expect(abs(audio.seconds - 2) < 0.1)
        #expect(try Demuxed.audioStream(path: proxy.path) == nil)
    }

    @Test func aLosslessAudioTrackSurvivesBitForBit() throws {
        let source = try VideoFixtures.losslessPattern(at: directory.appendingPathComponent("flac.mkv"),
                                                       seconds: 1, withAudio: true)
        let (gold, proxy) = outputs("flac")

        _ = try Preprocessor.run(input: source.path, goldMaster: gold.path, proxy: proxy.path)

        let md5 = { (url: URL) throws -> String in
            let out = self.directory.appendingPathComponent("\(url.lastPathComponent).audio.md5")
            try VideoFixtures.run(["-i", url.path, "-map", "0:a:0", "-f", "md5", out.path])
            return try String(contentsOf: out, encoding: .utf8)
        }
        #expect(try md5(gold) == md5(source))
    }

    @Test(arguments: [0.5, -0.5])
    func audioKeepsItsOffsetToTheFirstVideoFrame(audioDelay: Double) throws {
        let source = try VideoFixtures.offsetAudioPattern(
            at: directory.appendingPathComponent("offset\(audioDelay).mkv"), audioDelay: audioDelay)
        let (gold, proxy) = outputs("offset\(audioDelay)")

        let result = try Preprocessor.run(input: source.path, goldMaster: gold.path, proxy: proxy.path)

        let samples = try VideoFixtures.monoSamples(of: gold)
        let firstSound = try #require(samples.firstIndex { abs($0) > 100 })
        if audioDelay > 0 {
            #expect(result.frameCount == 50)
            // 0.5 s of silence at 8 kHz, then the tone; 1.5 s in all.
            #expect(abs(firstSound - 4000) < 10)
            #expect(abs(samples.count - 12000) < 10)
        } else {
            // The video starts ~0.5 s late (the CLI makes it 0.52), so that much of the tone is cut.
            let videoStart = try Demuxed.startSeconds(path: source.path, AVMEDIA_TYPE_VIDEO)
            let audioStart = try Demuxed.startSeconds(path: source.path, AVMEDIA_TYPE_AUDIO)
            #expect(abs(videoStart - audioStart - 0.5) < 0.05)
            #expect(firstSound < 10)
            #expect(abs(samples.count - (8000 - Int(((videoStart - audioStart) * 8000).rounded()))) < 10)
        }
    }

    @Test func aVariableRateSourceBecomesConstantRateInBothOutputs() throws {
        let source = try VideoFixtures.variableRatePattern(at: directory.appendingPathComponent("vfr.mkv"))
        let (gold, proxy) = outputs("vfr")

        let result = try Preprocessor.run(input: source.path, goldMaster: gold.path, proxy: proxy.path)

        // 48 frames with every fifth missing, over 2 s at 30 fps: the gaps are filled.
        #expect(result.frameRate == Rational(30, 1))
        #expect(result.frameCount == 60)
        #expect(result.retimedFrames == 12, "the 12 missing frames were filled by repeats")
        let goldFrames = try VideoProbe.countDecodedFrames(path: gold.path)
        #expect(goldFrames == result.frameCount)
        #expect(try VideoProbe.countDecodedFrames(path: proxy.path) == goldFrames)
        // Frame n sits at n / fps in both outputs.
        let rate = result.frameRate.doubleValue
        for url in [gold, proxy] {
            let times = try Demuxed.videoFrameSeconds(path: url.path)
            #expect(times.count == goldFrames)
            for (n, t) in times.enumerated() { #expect(abs(t - Double(n) / rate) < 0.002, "frame \(n) of \(url.lastPathComponent) at \(t)") }
        }
    }

    @Test func outputRateIsTheAverageRateSnappedToTheNearestStandardRate() {
        #expect(Preprocessor.outputFrameRate(average: Rational(30, 1), base: Rational(30, 1)) == Rational(30, 1))
        #expect(Preprocessor.outputFrameRate(average: Rational(30000, 1001), base: Rational(60, 1)) == Rational(30000, 1001))
        #expect(Preprocessor.outputFrameRate(average: Rational(1800000, 60083), base: Rational(30, 1)) == Rational(30000, 1001))
        #expect(Preprocessor.outputFrameRate(average: Rational(2997, 100), base: Rational(0, 0)) == Rational(30000, 1001))
        #expect(Preprocessor.outputFrameRate(average: Rational(0, 0), base: Rational(25, 1)) == Rational(25, 1))
        #expect(Preprocessor.outputFrameRate(average: Rational(0, 0), base: Rational(0, 0)) == nil)
        #expect(Preprocessor.outputFrameRate(average: Rational(15, 1), base: Rational(15, 1)) == Rational(15, 1))
    }

    @Test func constantRateGridDropsAndRepeats() {
        var grid = ConstantRateGrid(framesPerSecond: 10)
        #expect(grid.place(5.0) == .emit(repeatPrevious: 0))   // slot 0
        #expect(grid.place(5.1) == .emit(repeatPrevious: 0))   // slot 1
        #expect(grid.place(5.14) == .drop)                     // nearest slot 1, taken
        #expect(grid.place(5.41) == .emit(repeatPrevious: 2))  // slots 2, 3 repeat, 4
        #expect(grid.place(nil) == .emit(repeatPrevious: 0))   // slot 5
        #expect(grid.place(500) == .emit(repeatPrevious: 0))   // discontinuity: slot 6
        #expect(grid.place(500.1) == .emit(repeatPrevious: 0)) // slot 7
        #expect(grid.nextSlot == 8)
    }

    @Test func corruptAndTruncatedInputsThrow() throws {
        let good = try VideoFixtures.testPattern(at: directory.appendingPathComponent("whole.mp4"), seconds: 2)
        let data = try Data(contentsOf: good)
        // Without +faststart the index is at the end, so half a file has none.
        let truncated = directory.appendingPathComponent("truncated.mp4")
        try data.prefix(data.count / 2).write(to: truncated)
        let garbage = directory.appendingPathComponent("garbage.mp4")
        try Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }).write(to: garbage)
        let empty = directory.appendingPathComponent("empty.mp4")
        try Data().write(to: empty)
        // An MKV whose video payload is overwritten with noise past its header.
        let lossless = try VideoFixtures.losslessPattern(at: directory.appendingPathComponent("noisy-src.mkv"), seconds: 1)
        var noisy = try Data(contentsOf: lossless)
        for i in stride(from: 4096, to: noisy.count, by: 3) { noisy[i] ^= 0x5A }
        let mangled = directory.appendingPathComponent("noisy.mkv")
        try noisy.write(to: mangled)
        // Matroska declares its duration up front, so a cut-off download is recognisable.
        let cutOff = directory.appendingPathComponent("cut.mkv")
        let whole = try Data(contentsOf: lossless)
        try whole.prefix(whole.count * 2 / 5).write(to: cutOff)
        let audioOnly = try VideoFixtures.sineAudio(at: directory.appendingPathComponent("tone.m4a"))
        let still = directory.appendingPathComponent("still.png")
        try VideoFixtures.run(["-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1", still.path])

        for bad in [truncated, garbage, empty, mangled, cutOff, audioOnly, still] {
            let (gold, proxy) = outputs(bad.lastPathComponent)
            #expect(throws: MediaError.self, "\(bad.lastPathComponent)") {
                try Preprocessor.run(input: bad.path, goldMaster: gold.path, proxy: proxy.path)
            }
        }
        let (gold, proxy) = outputs("missing")
        #expect(throws: MediaError.fileNotFound(path: directory.appendingPathComponent("nope.mp4").path)) {
            try Preprocessor.run(input: directory.appendingPathComponent("nope.mp4").path, goldMaster: gold.path, proxy: proxy.path)
        }
    }

    @Test func cancellationStopsThePassWithADistinctError() throws {
        let source = try VideoFixtures.testPattern(at: directory.appendingPathComponent("cancel.mp4"), seconds: 2)
        let (gold, proxy) = outputs("cancel")
        var checks = 0
        var reported: [Double] = []

        #expect(throws: MediaError.cancelled) {
            try Preprocessor.run(input: source.path, goldMaster: gold.path, proxy: proxy.path,
                                 progress: { reported.append($0) },
                                 isCancelled: { checks += 1; return checks > 10 })
        }
        #expect(checks == 11)
        #expect(!reported.isEmpty && reported.allSatisfy { $0 < 0.3 })
    }

    @Test func reportsProgressUpToOne() throws {
        let source = try VideoFixtures.testPattern(at: directory.appendingPathComponent("progress.mp4"), seconds: 2)
        let (gold, proxy) = outputs("progress")
        var reported: [Double] = []

        _ = try Preprocessor.run(input: source.path, goldMaster: gold.path, proxy: proxy.path,
                                 progress: { reported.append($0) })

        #expect(reported.count > 10)
        #expect(reported == reported.sorted())
        #expect(reported.last == 1)
    }
}

/// Small avformat readers for checking outputs.
enum Demuxed {
    struct Failed: Error, CustomStringConvertible { var description: String }

    private static func withInput<T>(_ path: String, _ body: (UnsafeMutablePointer<AVFormatContext>) throws -> T) throws -> T {
        var context: UnsafeMutablePointer<AVFormatContext>?
        guard avformat_open_input(&context, path, nil, nil) >= 0, let context else { throw Failed(description: "cannot open \(path)") }
        defer { var doomed: UnsafeMutablePointer<AVFormatContext>? = context; avformat_close_input(&doomed) }
        guard avformat_find_stream_info(context, nil) >= 0 else { throw Failed(description: "no stream info in \(path)") }
        return try body(context)
    }

    /// AV_PKT_FLAG_KEY of every packet of the best video stream, in file order.
    static func videoPacketKeyFlags(path: String) throws -> [Bool] {
        try withInput(path) { context in
            let video = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
            guard video >= 0 else { throw Failed(description: "no video in \(path)") }
            var packet: UnsafeMutablePointer<AVPacket>? = av_packet_alloc()
            defer { av_packet_free(&packet) }
            var flags: [Bool] = []
            while av_read_frame(context, packet) >= 0 {
                if packet!.pointee.stream_index == video {
                    flags.append(packet!.pointee.flags & heaters_AV_PKT_FLAG_KEY() != 0)
                }
                av_packet_unref(packet)
            }
            return flags
        }
    }

    /// Presentation times in seconds of the best video stream's packets, sorted.
    static func videoFrameSeconds(path: String) throws -> [Double] {
        try withInput(path) { context in
            let video = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
            guard video >= 0 else { throw Failed(description: "no video in \(path)") }
            let base = av_q2d(context.pointee.streams[Int(video)]!.pointee.time_base)
            var packet: UnsafeMutablePointer<AVPacket>? = av_packet_alloc()
            defer { av_packet_free(&packet) }
            var times: [Double] = []
            while av_read_frame(context, packet) >= 0 {
                if packet!.pointee.stream_index == video { times.append(Double(packet!.pointee.pts) * base) }
                av_packet_unref(packet)
            }
            let first = times.min() ?? 0
            return times.map { $0 - first }.sorted()
        }
    }

    /// The declared start time in seconds of the best stream of `type`.
    static func startSeconds(path: String, _ type: AVMediaType) throws -> Double {
        try withInput(path) { context in
            let index = av_find_best_stream(context, type, -1, -1, nil, 0)
            guard index >= 0 else { throw Failed(description: "no such stream in \(path)") }
            let stream = context.pointee.streams[Int(index)]!.pointee
            return Double(stream.start_time) * av_q2d(stream.time_base)
        }
    }

    static func videoPixelFormat(path: String) throws -> String {
        try withInput(path) { context in
            let video = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
            guard video >= 0 else { throw Failed(description: "no video in \(path)") }
            let format = context.pointee.streams[Int(video)]!.pointee.codecpar.pointee.format
            return String(cString: av_get_pix_fmt_name(AVPixelFormat(rawValue: format)))
        }
    }

    struct Audio: Equatable { var codec: String; var sampleRate: Int; var seconds: Double }

    static func audioStream(path: String) throws -> Audio? {
        try withInput(path) { context in
            let index = av_find_best_stream(context, AVMEDIA_TYPE_AUDIO, -1, -1, nil, 0)
            guard index >= 0 else { return nil }
            let stream = context.pointee.streams[Int(index)]!.pointee
            var seconds = Double(context.pointee.duration) / Double(AV_TIME_BASE)
            if stream.duration > 0 { seconds = Double(stream.duration) * av_q2d(stream.time_base) }
            return Audio(codec: String(cString: avcodec_get_name(stream.codecpar.pointee.codec_id)),
                         sampleRate: Int(stream.codecpar.pointee.sample_rate), seconds: seconds)
        }
    }
}
