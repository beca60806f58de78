import CFFmpeg

/// What one preprocess pass produced.
public struct PreprocessResult: Sendable {
    /// Frames in each output; the gold master and the proxy always have the same count.
    public var frameCount: Int
    /// The constant output frame rate of both outputs.
    public var frameRate: Rational
    /// The gold master's size (the source's coded size).
    public var width: Int
    public var height: Int
    public var proxyWidth: Int
    public var proxyHeight: Int
    /// Whether the gold master carries a FLAC copy of the source's audio.
    public var hasAudio: Bool
    /// The source's start timecode as it declares it (its first frame's), also written into
    /// the gold master's video stream; nil when the source has none.
    public var startTimecode: String?
    /// Source frames dropped or repeated to fit the constant grid: 0 when the source's frames
    /// are the outputs' one to one (a constant-rate source); otherwise its frame n is not the
    /// gold master's frame n, and it is variable-rate whatever its container declares.
    public var retimedFrames: Int

    public init(frameCount: Int, frameRate: Rational, width: Int, height: Int,
                proxyWidth: Int, proxyHeight: Int, hasAudio: Bool, startTimecode: String? = nil, retimedFrames: Int = 0) {
        self.startTimecode = startTimecode
        self.retimedFrames = retimedFrames
        self.frameCount = frameCount
        self.frameRate = frameRate
        self.width = width
        self.height = height
        self.proxyWidth = proxyWidth
        self.proxyHeight = proxyHeight
        self.hasAudio = hasAudio
    }
}

/// The preprocess stage's media work: one demux and decode pass of a source that writes
///
/// - the **gold master**: FFV1 version 3 (sliced, CRCs, every frame self-contained) in Matroska
///   at full resolution and the decoded pixel format (lossless; a format FFV1 cannot store is
///   converted to libav's least lossy FFV1 format), with the best audio stream as FLAC;
/// - the **proxy**: H.264 (libx264, veryfast, CRF 23), every frame an I-frame, `proxyHeight`
///   lines high (rounded to even) with the display aspect kept and an even width, yuv420p,
///   square pixels, in MP4 with the index up front (`+faststart`), no audio.
///
/// Both outputs run at one constant frame rate (the source's average rate, snapped to a
/// standard rate when within 0.2% of one) and output frame n has pts n in time base 1/fps in
/// both, so frame numbers mean the same thing everywhere. See `ConstantRateGrid` for how
/// variable-rate sources are mapped onto that grid.
public enum Preprocessor {
    /// One demux+decode pass of `input` writing both outputs.
    ///
    /// Writes exactly to `goldMaster` and `proxy` (callers use temporary names and rename).
    /// Throws `MediaError`: `.fileNotFound`, `.notMedia`, `.noVideoStream` for bad inputs,
    /// `.undecodable` when the video does not decode, `.cancelled` when `isCancelled` returned
    /// true (checked before every decoded frame), `.libav` for any other libav failure.
    /// `progress` receives values in 0...1 (about every 1%).
    public static func run(input: String, goldMaster: String, proxy: String, proxyHeight: Int = 360,
                           progress: (Double) -> Void = { _ in }, isCancelled: () -> Bool = { false }) throws -> PreprocessResult {
        try runTyped(input: input, goldMaster: goldMaster, proxy: proxy, proxyHeight: proxyHeight,
                     progress: progress, isCancelled: isCancelled)
    }

    static func runTyped(input path: String, goldMaster: String, proxy proxyPath: String, proxyHeight: Int,
                         progress: (Double) -> Void, isCancelled: () -> Bool) throws(MediaError) -> PreprocessResult {
        guard proxyHeight >= 2 else {
            throw .libav(operation: "preprocess", code: heaters_AVERROR(EINVAL), message: "proxy height \(proxyHeight) is too small")
        }
        let input = try InputFile(path: path)
        guard let videoIndex = input.bestStream(AVMEDIA_TYPE_VIDEO) else { throw .noVideoStream(path: path) }
        if input.isStillImage(stream: videoIndex) {
            throw .undecodable(path: path, reason: "it holds a still image, not a video")
        }
        let audioIndex = input.bestStream(AVMEDIA_TYPE_AUDIO)
        input.discardAll(except: [videoIndex] + (audioIndex.map { [$0] } ?? []))

        guard let frameRate = outputFrameRate(average: input.averageFrameRate(stream: videoIndex),
                                              base: input.baseFrameRate(stream: videoIndex)) else {
            throw .undecodable(path: path, reason: "the video stream declares no frame rate")
        }
        let videoDecoder = try input.makeDecoder(stream: videoIndex)
        let audioDecoder = try audioIndex.map { index throws(MediaError) in try input.makeDecoder(stream: index) }

        var source = videoDecoder.videoFormat
        guard source.width > 0, source.height > 0, source.pixelFormat != AV_PIX_FMT_NONE else {
            throw .undecodable(path: path, reason: "the video stream declares no size or pixel format")
        }
        source.pixelFormat = try MediaEncoder.ffv1PixelFormat(for: source.pixelFormat)
        let proxySize = proxyDimensions(width: Int(source.width), height: Int(source.height),
                                        sampleAspect: Rational(source.sampleAspectRatio.num, source.sampleAspectRatio.den),
                                        targetHeight: proxyHeight)

        // Outputs and encoders, headers written before the first frame.
        let gold = try OutputFile(path: goldMaster, format: "matroska")
        let goldVideo = try MediaEncoder.ffv1(source, frameRate: frameRate, globalHeader: gold.wantsGlobalHeader)
        let goldVideoStream = try gold.addStream(for: goldVideo)
        let startTimecode = input.startTimecode(videoStream: videoIndex)
        if let startTimecode { gold.setTag(stream: goldVideoStream, "timecode", startTimecode) }
        var goldAudio: (encoder: MediaEncoder, stream: Int32, converter: AudioConverter)?
        if let audioDecoder {
            let encoder = try MediaEncoder.flac(audioDecoder.audioFormat, layoutFrom: audioDecoder,
                                                globalHeader: gold.wantsGlobalHeader)
            goldAudio = (encoder, try gold.addStream(for: encoder), try encoder.makeAudioConverter())
        }
        let proxyFile = try OutputFile(path: proxyPath, format: "mp4")
        let proxyVideo = try MediaEncoder.x264(width: Int32(proxySize.width), height: Int32(proxySize.height),
                                               source: source, frameRate: frameRate, crf: 23, preset: "veryfast",
                                               globalHeader: proxyFile.wantsGlobalHeader)
        let proxyStream = try proxyFile.addStream(for: proxyVideo)
        try gold.writeHeader()
        try proxyFile.writeHeader(options: [("movflags", "+faststart")])

        let goldScaler = VideoScaler(width: source.width, height: source.height, pixelFormat: source.pixelFormat,
                                     flags: SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT)
        let proxyScaler = VideoScaler(width: Int32(proxySize.width), height: Int32(proxySize.height),
                                      pixelFormat: AV_PIX_FMT_YUV420P, flags: SWS_BICUBIC)
        let packet = MediaPacket()
        let outPacket = MediaPacket()
        let decoded = MediaFrame()
        let previous = MediaFrame()
        var hasPrevious = false
        let converted = MediaFrame()
        let scaled = MediaFrame()
        let audioFrame = MediaFrame()

        let timeBase = input.timeBase(stream: videoIndex).doubleValue
        var grid = ConstantRateGrid(framesPerSecond: frameRate.doubleValue)
        var retimed = 0
        var written: Int64 = 0
        let expectedFrames = (input.durationSeconds(stream: videoIndex) ?? 0) * frameRate.doubleValue
        var lastReported = -1.0
        var tolerance = CorruptPacketTolerance(path: path)

        func emit(_ frame: MediaFrame) throws(MediaError) {
            try goldVideo.send(try goldScaler.conformed(frame, using: converted), pts: written)
            try gold.drain(goldVideo, into: goldVideoStream, using: outPacket)
            try proxyScaler.scale(frame, into: scaled)
            try proxyVideo.send(scaled, pts: written)
            try proxyFile.drain(proxyVideo, into: proxyStream, using: outPacket)
            written += 1
            if expectedFrames > 0 {
                let fraction = min(Double(written) / expectedFrames, 0.999)
                if fraction - lastReported >= 0.01 {
                    lastReported = fraction
                    progress(fraction)
                }
            }
        }

        func drainVideo() throws(MediaError) {
            while true {
                switch videoDecoder.receive(into: decoded) {
                case .needMore: return
                case .error(let code):
                    // Return to feeding packets: a decoder that keeps failing must not spin here.
                    try tolerance.note(code)
                    return
                case .frame: break
                }
                defer { decoded.unref() }
                if isCancelled() { throw .cancelled }
                let seconds = decoded.bestEffortTimestamp.map { Double($0) * timeBase }
                switch grid.place(seconds) {
                case .drop:
                    retimed += 1
                    continue
                case .emit(let repeats):
                    retimed += repeats
                    for _ in 0..<repeats { try emit(hasPrevious ? previous : decoded) }
                    try emit(decoded)
                    try previous.reference(decoded)
                    hasPrevious = true
                }
            }
        }

        var audioAligned = false
        let audioTimeBase = audioIndex.map { input.timeBase(stream: $0).doubleValue } ?? 0
        func drainAudio(final: Bool) throws(MediaError) {
            guard let audioDecoder, let goldAudio else { return }
            receiving: while true {
                switch audioDecoder.receive(into: decoded) {
                case .needMore:
                    break receiving
                case .error(let code):
                    // A corrupt audio packet costs a few milliseconds of sound, not the pass.
                    if code == heaters_AVERROR(ENOMEM) { try MediaError.throwIfFail(code, "decoding audio of \(path)") }
                    break receiving
                case .frame:
                    defer { decoded.unref() }
                    if !audioAligned {
                        audioAligned = true
                        // Output time zero is the first video frame; keep the audio's offset to it.
                        if let audioStart = decoded.bestEffortTimestamp.map({ Double($0) * audioTimeBase }),
                           let videoStart = grid.originSeconds ?? input.startSeconds(stream: videoIndex),
                           abs(audioStart - videoStart) < 10 {
                            try goldAudio.converter.alignStart(offsetSeconds: audioStart - videoStart)
                        }
                    }
                    try goldAudio.converter.push(decoded)
                }
            }
            if final { try goldAudio.converter.flush() }
            while try goldAudio.converter.pop(into: audioFrame, final: final) {
                try goldAudio.encoder.send(audioFrame, pts: nil)
                try gold.drain(goldAudio.encoder, into: goldAudio.stream, using: outPacket)
            }
        }

        while try input.readPacket(into: packet) {
            if packet.streamIndex == videoIndex {
                tolerance.packets += 1
                let sent = videoDecoder.send(packet)
                if sent < 0 { try tolerance.note(sent) }
                try drainVideo()
            } else if packet.streamIndex == audioIndex, let audioDecoder {
                let sent = audioDecoder.send(packet)
                if sent == heaters_AVERROR(ENOMEM) { try MediaError.throwIfFail(sent, "decoding audio of \(path)") }
                try drainAudio(final: false)
            }
        }
        _ = videoDecoder.send(nil)
        try drainVideo()
        if let audioDecoder {
            _ = audioDecoder.send(nil)
            try drainAudio(final: true)
        }
        guard written > 0 else {
            let reason = tolerance.errors > 0 ? MediaError.message(for: tolerance.firstError) : "no video frames decoded"
            throw .undecodable(path: path, reason: reason)
        }
        // Demuxers often end quietly at a truncation or a mangled cluster; a pass that covers
        // well under the declared length is a damaged file, not a short video.
        if expectedFrames >= 10, Double(written) < 0.75 * expectedFrames {
            throw .undecodable(path: path, reason: "only \(written) of about \(Int(expectedFrames.rounded())) frames "
                               + "could be read; the file is truncated or corrupt")
        }

        try goldVideo.send(nil, pts: nil)
        try gold.drain(goldVideo, into: goldVideoStream, using: outPacket)
        if let goldAudio {
            try goldAudio.encoder.send(nil, pts: nil)
            try gold.drain(goldAudio.encoder, into: goldAudio.stream, using: outPacket)
        }
        try proxyVideo.send(nil, pts: nil)
        try proxyFile.drain(proxyVideo, into: proxyStream, using: outPacket)
        try gold.finish()
        try proxyFile.finish()
        progress(1)

        return PreprocessResult(frameCount: Int(written), frameRate: frameRate,
                                width: Int(source.width), height: Int(source.height),
                                proxyWidth: proxySize.width, proxyHeight: proxySize.height,
                                hasAudio: goldAudio != nil, startTimecode: startTimecode,
                                retimedFrames: retimed)
    }

    /// The constant output rate: the stream's average rate (its real rate for constant-rate
    /// sources), else its base rate; snapped to a standard rate when within 0.2% of one, so a
    /// variable-rate phone video averaging 29.96 fps becomes 30000/1001.
    static func outputFrameRate(average: Rational, base: Rational) -> Rational? {
        let chosen = average.isValid && average.doubleValue > 0 ? average : base
        guard chosen.isValid, chosen.doubleValue > 0, chosen.doubleValue <= 1000 else { return nil }
        let standard = [Rational(24000, 1001), Rational(24, 1), Rational(25, 1), Rational(30000, 1001),
                        Rational(30, 1), Rational(48, 1), Rational(50, 1), Rational(60000, 1001),
                        Rational(60, 1), Rational(120, 1)]
        if standard.contains(where: { $0.isEquivalent(to: chosen) }) { return chosen }
        let error = { (rate: Rational) in abs(rate.doubleValue / chosen.doubleValue - 1) }
        if let match = standard.min(by: { error($0) < error($1) }), error(match) < 0.002 { return match }
        // Keep exact small ratios; approximate unwieldy ones (e.g. 1800000/60083).
        if chosen.denominator <= 1001 { return chosen }
        let approximated = av_d2q(chosen.doubleValue, 1001)
        return Rational(approximated.num, approximated.den)
    }

    /// The proxy's size: `targetHeight` (rounded down to even) lines, and the width that keeps
    /// the display aspect (pixel aspect applied, so proxy pixels are square), rounded to even.
    static func proxyDimensions(width: Int, height: Int, sampleAspect: Rational, targetHeight: Int) -> (width: Int, height: Int) {
        let outHeight = max(2, targetHeight / 2 * 2)
        let pixelAspect = sampleAspect.isValid && sampleAspect.doubleValue > 0 ? sampleAspect.doubleValue : 1
        let displayWidth = Double(width) * pixelAspect
        let outWidth = max(2, Int((displayWidth * Double(outHeight) / Double(height) / 2).rounded()) * 2)
        return (outWidth, outHeight)
    }
}

/// Maps decoded frames' timestamps onto a constant-rate grid of output slots (slot n is at
/// n / fps seconds after the first frame).
///
/// A frame goes to the slot nearest its timestamp. If that slot is already filled (frames
/// closer together than 1/fps), the frame is dropped. If slots were skipped (a gap longer than
/// one frame), they are filled with repeats of the previous frame, as a display would hold it.
/// A constant-rate source therefore maps one to one. A frame without a timestamp takes the
/// next slot. A jump of more than 10 s either way (a broken timestamp, a splice) is treated as
/// a discontinuity: the grid is re-anchored so the frame takes the next slot.
struct ConstantRateGrid {
    enum Placement: Equatable {
        case drop
        /// Emit the previous frame `repeatPrevious` times, then this frame.
        case emit(repeatPrevious: Int)
    }

    let framesPerSecond: Double
    private var origin: Double?
    /// The timestamp (seconds) that slot 0 stands for, once the first timed frame arrived.
    var originSeconds: Double? { origin }
    private(set) var nextSlot = 0

    init(framesPerSecond: Double) { self.framesPerSecond = framesPerSecond }

    mutating func place(_ seconds: Double?) -> Placement {
        guard let seconds, seconds.isFinite else {
            nextSlot += 1
            return .emit(repeatPrevious: 0)
        }
        guard let origin else {
            self.origin = seconds
            nextSlot = 1
            return .emit(repeatPrevious: 0)
        }
        let position = (seconds - origin) * framesPerSecond
        let limit = 10 * framesPerSecond
        if position - Double(nextSlot) > limit || Double(nextSlot) - position > limit {
            self.origin = seconds - Double(nextSlot) / framesPerSecond
            nextSlot += 1
            return .emit(repeatPrevious: 0)
        }
        let slot = Int(position.rounded())
        if slot < nextSlot { return .drop }
        let gap = slot - nextSlot
        nextSlot = slot + 1
        return .emit(repeatPrevious: gap)
    }
}
