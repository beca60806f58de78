import CFFmpeg
import Foundation

/// How exported clips are encoded: H.264 (libx264, yuv420p) and AAC in MP4.
public struct ExportProfile: Sendable, Equatable {
    /// The profile's name (configs refer to it; exported objects are named after it).
    public var name: String
    /// x264's constant rate factor, 0...51 (lower is better and bigger). 0 is lossless,
    /// relative to the master converted to yuv420p (lossless from a yuv420p master); x264
    /// then writes the High 4:4:4 Predictive profile, which browsers do not play.
    public var crf: Int
    /// x264's preset, ultrafast … veryslow: slower presets give smaller files at one CRF.
    public var preset: String
    /// Masters taller than this are scaled down (display aspect kept, square pixels, even
    /// dimensions); nil, or a master no taller, keeps the master's size (rounded down to even).
    public var maxHeight: Int?
    /// The AAC bit rate in bits per second.
    public var audioBitrate: Int

    public init(name: String, crf: Int, preset: String, maxHeight: Int?, audioBitrate: Int) {
        self.name = name
        self.crf = crf
        self.preset = preset
        self.maxHeight = maxHeight
        self.audioBitrate = audioBitrate
    }

    /// The built-in profiles: "default" (CRF 18, the master's size), "web" (CRF 23, at most
    /// 720 lines) and "archive" (lossless; preset medium, since veryslow takes too long).
    public static let defaults: [ExportProfile] = [
        ExportProfile(name: "default", crf: 18, preset: "medium", maxHeight: nil, audioBitrate: 192_000),
        ExportProfile(name: "web", crf: 23, preset: "medium", maxHeight: 720, audioBitrate: 128_000),
        ExportProfile(name: "archive", crf: 0, preset: "medium", maxHeight: nil, audioBitrate: 256_000),
    ]
}

/// What one export wrote.
public struct ExportedClip: Sendable, Equatable {
    /// Video frames in the output: always the clip's length.
    public var frames: Int
    public var width: Int
    public var height: Int
    /// Whether the output has an AAC track (it does when the master has audio).
    public var hasAudio: Bool
    /// The audio track's length; nil without audio.
    public var audioSeconds: Double?
    /// The output file's size.
    public var bytes: Int64
}

/// Cuts frame-exact clips out of a gold master (as `Preprocessor` writes it: constant rate,
/// frame n at n / fps after the first frame, audio on the same timeline) and encodes them
/// with an `ExportProfile`.
///
/// Output frame k is master frame `startFrame + k`, at pts k in time base 1/fps; the audio is
/// the master's samples from `startFrame / fps` to `endFrame / fps` seconds (trimmed to the
/// sample; the start is as exact as the container's timestamps, which Matroska keeps in
/// milliseconds), padded with silence where the master's audio does not reach, so it lasts as
/// long as the video. Frames of an intra-only master (FFV1) outside the clip are not decoded.
///
/// One exporter holds the master open; export as many clips as wanted, in any order. Not
/// thread-safe: one export at a time.
public final class ClipExporter {
    /// Frames in the master.
    let frameCount: Int
    /// The master's constant frame rate.
    let frameRate: Rational

    private let path: String
    private let input: InputFile
    private let video: Int32
    private let videoDecoder: MediaDecoder
    private let intraOnly: Bool
    private let timing: FrameTiming
    private let audio: (index: Int32, decoder: MediaDecoder, timeBase: Double)?
    private let packet = MediaPacket()

    /// Opens the master once; several clips of one source can be exported from one open master.
    ///
    /// Throws `.fileNotFound`, `.notMedia`, `.noVideoStream` for bad inputs, `.undecodable`
    /// when the master declares no frame rate or size or has no video frames.
    public init(master path: String) throws(MediaError) {
        let input = try InputFile(path: path)
        guard let video = input.bestStream(AVMEDIA_TYPE_VIDEO) else { throw .noVideoStream(path: path) }
        if input.isStillImage(stream: video) {
            throw .undecodable(path: path, reason: "it holds a still image, not a video")
        }
        let audioIndex = input.bestStream(AVMEDIA_TYPE_AUDIO)
        input.discardAll(except: [video] + (audioIndex.map { [$0] } ?? []))
        // Matroska stores the rate as a frame duration in nanoseconds; snapping recovers 30000/1001.
        guard let rate = Preprocessor.outputFrameRate(average: input.averageFrameRate(stream: video),
                                                      base: input.baseFrameRate(stream: video)) else {
            throw .undecodable(path: path, reason: "the video stream declares no frame rate")
        }
        let decoder = try input.makeDecoder(stream: video)
        let format = decoder.videoFormat
        guard format.width >= 2, format.height >= 2, format.pixelFormat != AV_PIX_FMT_NONE else {
            throw .undecodable(path: path, reason: "the video stream declares no size or pixel format")
        }
        let timing = FrameTiming(timeBase: input.timeBase(stream: video).doubleValue, rate: rate.doubleValue,
                                 origin: input.startSeconds(stream: video) ?? 0)
        self.path = path
        self.input = input
        self.video = video
        self.videoDecoder = decoder
        self.intraOnly = input.isIntraOnly(stream: video)
        self.timing = timing
        self.frameRate = rate
        self.audio = try audioIndex.map { index throws(MediaError) in
            (index, try input.makeDecoder(stream: index), input.timeBase(stream: index).doubleValue)
        }
        self.frameCount = try input.countVideoFrames(video, timing: timing, path: path)
    }

    /// Frames [startFrame, endFrame) of the master → H.264 (yuv420p) + AAC in MP4 with
    /// +faststart, written exactly to `output` (callers use a temporary name and rename).
    ///
    /// Throws `.undecodable` for a range outside the master (naming its frame count) and for a
    /// damaged master, `.cancelled` when `isCancelled` returned true (checked before every
    /// frame), `.libav` for an unusable profile or any other libav failure. `progress`
    /// receives values in 0...1 (about every 1%, then 1).
    public func export(startFrame: Int, endFrame: Int, profile: ExportProfile, output: String,
                       progress: (Double) -> Void = { _ in }, isCancelled: () -> Bool = { false }) throws(MediaError) -> ExportedClip {
        guard startFrame >= 0, startFrame < endFrame, endFrame <= frameCount else {
            throw .undecodable(path: path, reason: "frames [\(startFrame), \(endFrame)) are not a range within "
                               + "the master's \(frameCount) frames")
        }
        try Self.validate(profile)
        let length = endFrame - startFrame
        let source = videoDecoder.videoFormat
        let size = Self.outputSize(of: source, maxHeight: profile.maxHeight)

        let file = try OutputFile(path: output, format: "mp4")
        let encoder = try MediaEncoder.x264(Self.encoderFormat(source, size: size), frameRate: frameRate,
                                            timeBase: Rational(frameRate.denominator, frameRate.numerator),
                                            crf: profile.crf, preset: profile.preset, globalHeader: file.wantsGlobalHeader)
        let videoStream = try file.addStream(for: encoder)
        var track: ClipAudio?
        if let audio {
            let aac = try MediaEncoder.aac(audio.decoder.audioFormat, layoutFrom: audio.decoder, bitRate: profile.audioBitrate,
                                           globalHeader: file.wantsGlobalHeader)
            track = ClipAudio(decoder: audio.decoder, encoder: aac, stream: try file.addStream(for: aac),
                              converter: try aac.makeAudioConverter(), timeBase: audio.timeBase,
                              start: timing.seconds(ofFrame: startFrame), end: timing.seconds(ofFrame: endFrame))
        }
        try file.writeHeader(options: [("movflags", "+faststart")])

        // Audio packets are stored up to one packet ahead of the video they play with, and
        // Matroska drops those before the seek point: start a second early to have them.
        try position(atOrBefore: startFrame, marginSeconds: audio == nil ? 0 : 1)
        let scaler = VideoScaler(width: Int32(size.width), height: Int32(size.height), pixelFormat: AV_PIX_FMT_YUV420P,
                                 flags: SWS_BICUBIC | SWS_ACCURATE_RND)
        let decoded = MediaFrame()
        let converted = MediaFrame()
        let outPacket = MediaPacket()
        var written = 0
        var videoDone = false
        var lastReported = 0.0

        func drainVideo() throws(MediaError) {
            while !videoDone {
                switch videoDecoder.receive(into: decoded) {
                case .needMore: return
                case .error(let code):
                    throw .undecodable(path: path, reason: "frame \(startFrame + written) does not decode: "
                                       + MediaError.message(for: code))
                case .frame: break
                }
                defer { decoded.unref() }
                let wanted = startFrame + written
                let number = decoded.bestEffortTimestamp.map(timing.frame(atTimestamp:)) ?? wanted
                if number < wanted { continue }
                if number >= endFrame { videoDone = true; return }
                if number > wanted { throw .undecodable(path: path, reason: "frame \(wanted) is missing from the master") }
                if decoded.hasDecodeErrors { throw .undecodable(path: path, reason: "frame \(number) is damaged") }
                if isCancelled() { throw .cancelled }
                try encoder.send(try scaler.conformed(decoded, using: converted), pts: Int64(written))
                try file.drain(encoder, into: videoStream, using: outPacket)
                written += 1
                if written == length { videoDone = true }
                let fraction = min(Double(written) / Double(length), 0.999)
                if fraction - lastReported >= 0.01 {
                    lastReported = fraction
                    progress(fraction)
                }
            }
        }

        func finishVideo() throws(MediaError) {
            guard !videoDone else { return }
            _ = videoDecoder.send(nil)
            try drainVideo()
            videoDone = true
        }

        // Audio ends with the video within a packet or two; past this, a master whose audio
        // stopped early has nothing more to give.
        let giveUpFrame = endFrame + 2 * max(1, Int(frameRate.doubleValue.rounded()))
        reading: while !(videoDone && track?.done ?? true) {
            guard try input.readPacket(into: packet) else { break }
            if packet.streamIndex == video {
                let number = packet.presentationTimestamp.map(timing.frame(atTimestamp:))
                if videoDone {
                    if let number, number >= giveUpFrame { break reading }
                    continue
                }
                if intraOnly, let number {
                    if number < startFrame { continue }
                    if number >= endFrame { try finishVideo(); continue }
                }
                let sent = videoDecoder.send(packet)
                if sent < 0 {
                    throw .undecodable(path: path, reason: "a packet near frame \(startFrame + written) does not decode: "
                                       + MediaError.message(for: sent))
                }
                try drainVideo()
            } else if let track, packet.streamIndex == audio?.index {
                try track.decode(packet, into: file)
            }
        }
        try finishVideo()
        guard written == length else {
            throw .undecodable(path: path, reason: "the master ended at frame \(startFrame + written) of the "
                               + "\(frameCount) it declares")
        }
        try encoder.send(nil, pts: nil)
        try file.drain(encoder, into: videoStream, using: outPacket)
        try track?.finish(into: file)
        try file.finish()
        progress(1)

        let bytes = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? NSNumber)?.int64Value ?? 0
        return ExportedClip(frames: written, width: size.width, height: size.height, hasAudio: track != nil,
                            audioSeconds: track?.seconds, bytes: bytes)
    }

    /// Seeks so that the next video packet is at or before `frame` (`marginSeconds` earlier
    /// when possible), and resets the decoders. When the seek lands past `frame` (a container
    /// with a poor index), reading starts from the master's first frame instead.
    private func position(atOrBefore frame: Int, marginSeconds: Double) throws(MediaError) {
        try input.seekVideo(video, atOrBefore: frame, marginSeconds: marginSeconds, timing: timing, packet: packet, path: path)
        videoDecoder.flush()
        audio?.decoder.flush()
    }

    private static func validate(_ profile: ExportProfile) throws(MediaError) {
        var problem: String?
        if !(0...51).contains(profile.crf) { problem = "CRF \(profile.crf) is outside 0...51" }
        if profile.preset.isEmpty { problem = "no x264 preset" }
        if let height = profile.maxHeight, height < 2 { problem = "maximum height \(height) is too small" }
        if profile.audioBitrate <= 0 { problem = "audio bit rate \(profile.audioBitrate) is not positive" }
        if let problem {
            throw .libav(operation: "export profile \(profile.name)", code: heaters_AVERROR(EINVAL), message: problem)
        }
    }

    /// The output's size and whether its pixels are square (scaled) or the master's own shape.
    static func outputSize(of source: VideoFormat, maxHeight: Int?) -> (width: Int, height: Int, square: Bool) {
        let width = Int(source.width), height = Int(source.height)
        guard let maxHeight, height > maxHeight else { return (max(2, width / 2 * 2), max(2, height / 2 * 2), false) }
        let aspect = source.sampleAspectRatio
        let scaled = Preprocessor.proxyDimensions(width: width, height: height, sampleAspect: Rational(aspect.num, aspect.den),
                                                  targetHeight: maxHeight)
        return (scaled.width, scaled.height, true)
    }

    /// What the encoder is told about its input: the output size, square pixels when scaled,
    /// and for an RGB master the BT.601 matrix swscale converts it with.
    private static func encoderFormat(_ source: VideoFormat, size: (width: Int, height: Int, square: Bool)) -> VideoFormat {
        var format = source
        format.width = Int32(size.width)
        format.height = Int32(size.height)
        if size.square { format.sampleAspectRatio = AVRational(num: 1, den: 1) }
        if source.colorSpace == AVCOL_SPC_RGB {
            format.colorSpace = AVCOL_SPC_SMPTE170M
            format.colorRange = AVCOL_RANGE_MPEG
        }
        return format
    }
}

/// One export's audio: the master's decoded audio between `start` and `end` (master
/// seconds), trimmed to the sample, through the converter into AAC.
private final class ClipAudio {
    let decoder: MediaDecoder
    let encoder: MediaEncoder
    let stream: Int32
    let converter: AudioConverter
    let timeBase: Double
    let start: Double
    let end: Double
    /// The clip's length in output samples.
    let samples: Int64
    /// The clip's audio is all queued; further packets are not needed.
    private(set) var done = false
    private var anchored = false
    /// Where (master seconds) the next decoded frame starts if none is missing.
    private var expectedStart: Double?
    private let frame = MediaFrame()
    private let chunk = MediaFrame()
    private let packet = MediaPacket()

    init(decoder: MediaDecoder, encoder: MediaEncoder, stream: Int32, converter: AudioConverter,
         timeBase: Double, start: Double, end: Double) {
        self.decoder = decoder
        self.encoder = encoder
        self.stream = stream
        self.converter = converter
        self.timeBase = timeBase
        self.start = start
        self.end = end
        samples = Int64(((end - start) * Double(converter.sampleRate)).rounded())
        converter.sampleLimit = samples
    }

    var seconds: Double { Double(converter.samplesOut) / Double(converter.sampleRate) }

    func decode(_ packet: MediaPacket, into file: OutputFile) throws(MediaError) {
        guard !done else { return }
        let sent = decoder.send(packet)
        if sent == heaters_AVERROR(ENOMEM) { try MediaError.throwIfFail(sent, "decoding audio") }
        try drain(into: file)
    }

    /// Drains the decoder at the end of the master, flushes the converter, pads the clip
    /// to its length with silence and flushes the encoder.
    func finish(into file: OutputFile) throws(MediaError) {
        if !done {
            _ = decoder.send(nil)
            try drain(into: file)
        }
        try converter.flush()
        try converter.padWithSilence(toTotal: samples)
        while try converter.pop(into: chunk, final: true) { try encode(chunk, into: file) }
        try encoder.send(nil, pts: nil)
        try file.drain(encoder, into: stream, using: packet)
    }

    private func drain(into file: OutputFile) throws(MediaError) {
        receiving: while !done {
            switch decoder.receive(into: frame) {
            case .needMore:
                break receiving
            case .error(let code):
                // A corrupt audio packet costs a few milliseconds of sound (filled with silence below).
                if code == heaters_AVERROR(ENOMEM) { try MediaError.throwIfFail(code, "decoding audio") }
                break receiving
            case .frame:
                defer { frame.unref() }
                try take(frame)
            }
        }
        while !done, try converter.pop(into: chunk, final: false) {
            try encode(chunk, into: file)
            if converter.samplesOut >= samples { done = true }
        }
    }

    private func take(_ frame: MediaFrame) throws(MediaError) {
        guard frame.sampleRate > 0, frame.sampleCount > 0 else { return }
        var begins = frame.bestEffortTimestamp.map { Double($0) * timeBase } ?? expectedStart ?? start
        var gap = 0.0
        if let expectedStart {
            // Timestamps are rounded by the container; counted samples are exact. Only a real
            // hole (a packet that did not decode) moves the audio on.
            if begins - expectedStart > 0.02 && begins - expectedStart < 10 { gap = begins - expectedStart } else { begins = expectedStart }
        }
        expectedStart = begins + Double(frame.sampleCount) / Double(frame.sampleRate)
        if begins >= end { done = true; return }
        if !anchored {
            if let expectedStart, expectedStart <= start { return }
            anchored = true
            // Positive: silence until the audio starts; negative: the samples before the clip are dropped.
            try converter.alignStart(offsetSeconds: begins - start)
        } else if gap > 0 {
            try converter.insertSilence(seconds: gap)
        }
        try converter.push(frame)
    }

    private func encode(_ chunk: MediaFrame, into file: OutputFile) throws(MediaError) {
        try encoder.send(chunk, pts: nil)
        try file.drain(encoder, into: stream, using: packet)
    }
}
