import CFFmpeg

/// One still: master frame `frame` as a JPEG file of `width`×`height` pixels.
public struct Keyframe: Sendable, Equatable {
    public var frame: Int
    /// A whole JPEG (JFIF) file: starts with FF D8, ends with FF D9.
    public var jpeg: [UInt8]
    public var width: Int
    public var height: Int

    public init(frame: Int, jpeg: [UInt8], width: Int, height: Int) {
        self.frame = frame
        self.jpeg = jpeg
        self.width = width
        self.height = height
    }
}

/// JPEG stills of exact frames of a gold master (as `Preprocessor` writes it: constant rate,
/// frame n at n / fps after the first frame), found as `ClipExporter` finds a clip's first
/// frame: a seek to at or before the frame, then packets read up to it. Frames of an
/// intra-only master (FFV1) other than the ones asked for are not decoded; frames asked for
/// close after one another are read on without a new seek.
///
/// The stills are libavcodec's MJPEG: 4:2:0 in full range with BT.601's matrix (what JPEG
/// decoders assume; a master tagged with another matrix, such as BT.709, is converted), and
/// the master's pixel aspect in the JFIF header when kept at the master's size.
///
/// One extractor holds the master open; ask for as many stills as wanted. Not thread-safe:
/// one call at a time.
public final class KeyframeExtractor {
    /// Frames in the master.
    let frameCount: Int
    /// The master's constant frame rate.
    let frameRate: Rational

    private let path: String
    private let input: InputFile
    private let video: Int32
    private let decoder: MediaDecoder
    private let intraOnly: Bool
    private let timing: FrameTiming
    private let packet = MediaPacket()
    private let decoded = MediaFrame()
    private let converted = MediaFrame()
    /// The frame number of the last packet read, while reading can go on from there (an
    /// intra-only master, after a still); nil when the next still needs a seek.
    private var readFrame: Int?

    /// Opens the master.
    ///
    /// Throws `.fileNotFound`, `.notMedia`, `.noVideoStream` for bad inputs, `.undecodable`
    /// when the master declares no frame rate or size or has no video frames.
    public init(master path: String) throws(MediaError) {
        let input = try InputFile(path: path)
        guard let video = input.bestStream(AVMEDIA_TYPE_VIDEO) else { throw .noVideoStream(path: path) }
        if input.isStillImage(stream: video) {
            throw .undecodable(path: path, reason: "it holds a still image, not a video")
        }
        input.discardAll(except: [video])
        guard let rate = Preprocessor.outputFrameRate(average: input.averageFrameRate(stream: video),
                                                      base: input.baseFrameRate(stream: video)) else {
            throw .undecodable(path: path, reason: "the video stream declares no frame rate")
        }
        let decoder = try input.makeDecoder(stream: video)
        let format = decoder.videoFormat
        guard format.width >= 1, format.height >= 1, format.pixelFormat != AV_PIX_FMT_NONE else {
            throw .undecodable(path: path, reason: "the video stream declares no size or pixel format")
        }
        let timing = FrameTiming(timeBase: input.timeBase(stream: video).doubleValue, rate: rate.doubleValue,
                                 origin: input.startSeconds(stream: video) ?? 0)
        self.path = path
        self.input = input
        self.video = video
        self.decoder = decoder
        self.intraOnly = input.isIntraOnly(stream: video)
        self.timing = timing
        self.frameRate = rate
        self.frameCount = try input.countVideoFrames(video, timing: timing, path: path)
    }

    /// JPEGs of the given master frames (any order, duplicates allowed; returned in the order
    /// asked), at the master's size, or scaled down to at most `maxHeight` lines keeping the
    /// display aspect (square pixels, even dimensions). `quality` 1...100 maps linearly onto
    /// MJPEG's fixed quantiser (ffmpeg's `-q:v`): 100 is qscale 1, 90 is 4, 50 is 16, 1 is 31.
    ///
    /// Throws `.undecodable` for a frame outside the master (naming the frame and the
    /// master's frame count) and for a damaged master, `.libav` for a quality outside 1...100,
    /// a `maxHeight` under 2 and any other libav failure.
    public func stills(frames: [Int], maxHeight: Int? = nil, quality: Int = 90) throws(MediaError) -> [Keyframe] {
        var problem: String?
        if !(1...100).contains(quality) { problem = "JPEG quality \(quality) is outside 1...100" }
        if let maxHeight, maxHeight < 2 { problem = "maximum height \(maxHeight) is too small" }
        if let problem { throw .libav(operation: "JPEG stills", code: heaters_AVERROR(EINVAL), message: problem) }
        if let outside = frames.first(where: { !(0..<frameCount).contains($0) }) {
            throw .undecodable(path: path, reason: "frame \(outside) is not within the master's \(frameCount) frames "
                               + "(0...\(frameCount - 1))")
        }
        let qscale = Self.qscale(forQuality: quality)
        var scaler: VideoScaler?
        var taken: [Int: Keyframe] = [:]
        for frame in Set(frames).sorted() {
            try decode(frame: frame)
            defer { decoded.unref() }
            // The frame's own geometry: FFV1 keeps the pixel aspect where Matroska may not.
            var source = decoder.videoFormat
            source.width = decoded.width
            source.height = decoded.height
            if let aspect = decoded.sampleAspectRatio { source.sampleAspectRatio = aspect }
            let size = Self.stillSize(of: source, maxHeight: maxHeight)
            if scaler?.width != Int32(size.width) || scaler?.height != Int32(size.height) {
                scaler = VideoScaler(width: Int32(size.width), height: Int32(size.height), pixelFormat: AV_PIX_FMT_YUVJ420P,
                                     flags: SWS_BICUBIC | SWS_ACCURATE_RND)
                scaler?.outputMatrix = AVCOL_SPC_BT470BG
            }
            try scaler!.scale(decoded, into: converted)
            defer { converted.unref() }
            let encoder = try MediaEncoder.mjpeg(width: Int32(size.width), height: Int32(size.height),
                                                 sampleAspectRatio: size.square ? AVRational(num: 1, den: 1) : source.sampleAspectRatio,
                                                 qscale: qscale)
            taken[frame] = Keyframe(frame: frame, jpeg: try encoder.encodeAlone(converted),
                                    width: size.width, height: size.height)
        }
        return frames.map { taken[$0]! }
    }

    /// MJPEG's quantiser for a quality: 100 → 1 ... 1 → 31, linear, rounded.
    static func qscale(forQuality quality: Int) -> Int { 1 + ((100 - quality) * 30 + 49) / 99 }

    /// The master's own size and pixel aspect, or when it is taller than `maxHeight` that
    /// height (rounded down to even) with square pixels and the display aspect kept.
    static func stillSize(of source: VideoFormat, maxHeight: Int?) -> (width: Int, height: Int, square: Bool) {
        let width = Int(source.width), height = Int(source.height)
        guard let maxHeight, height > maxHeight else { return (width, height, false) }
        return ClipExporter.outputSize(of: source, maxHeight: maxHeight)
    }

    /// Leaves master frame `frame` in `decoded`.
    private func decode(frame wanted: Int) throws(MediaError) {
        // Reading on skips packets without decoding them; past a second, a seek is cheaper.
        let maxReadOn = max(1, Int(frameRate.doubleValue.rounded()))
        let readOn = readFrame.map { $0 < wanted && wanted - $0 <= maxReadOn } ?? false
        readFrame = nil
        if !readOn { try position(atOrBefore: wanted) }
        var sentWanted = false
        var draining = false
        while true {
            if try receive(frame: wanted) {
                // After draining, the decoder takes packets again only once flushed; an
                // intra-only master decodes on from any packet, so reading can go on.
                decoder.flush()
                if sentWanted { readFrame = wanted }
                return
            }
            if draining {
                throw .undecodable(path: path, reason: sentWanted ? "frame \(wanted) gave no picture"
                                   : "the master ends before frame \(wanted) of the \(frameCount) it declares")
            }
            guard try input.readPacket(into: packet) else {
                _ = decoder.send(nil)
                draining = true
                continue
            }
            guard packet.streamIndex == video else { continue }
            let number = packet.presentationTimestamp.map(timing.frame(atTimestamp:))
            if intraOnly, let number {
                if number < wanted { continue }
                if number > wanted { throw .undecodable(path: path, reason: "frame \(wanted) is missing from the master") }
            }
            let sent = decoder.send(packet)
            if sent < 0 {
                throw .undecodable(path: path, reason: "a packet near frame \(wanted) does not decode: "
                                   + MediaError.message(for: sent))
            }
            if intraOnly, number == wanted {
                // The frame's own packet is all it needs: drain so it comes out now.
                sentWanted = true
                _ = decoder.send(nil)
                draining = true
            }
        }
    }

    /// Takes decoded frames until `wanted` (true, left in `decoded`) or until the decoder
    /// needs more input (false). Frames before `wanted` are dropped.
    private func receive(frame wanted: Int) throws(MediaError) -> Bool {
        while true {
            switch decoder.receive(into: decoded) {
            case .needMore: return false
            case .error(let code):
                throw .undecodable(path: path, reason: "frame \(wanted) does not decode: " + MediaError.message(for: code))
            case .frame: break
            }
            let number = decoded.bestEffortTimestamp.map(timing.frame(atTimestamp:)) ?? wanted
            if number < wanted { decoded.unref(); continue }
            if number > wanted {
                decoded.unref()
                throw .undecodable(path: path, reason: "frame \(wanted) is missing from the master")
            }
            if decoded.hasDecodeErrors {
                decoded.unref()
                throw .undecodable(path: path, reason: "frame \(wanted) is damaged")
            }
            return true
        }
    }

    /// Seeks so that the next video packet is at or before `frame` and resets the decoder,
    /// as `ClipExporter` does; when the seek lands past `frame`, reading starts from the
    /// master's first frame instead.
    private func position(atOrBefore frame: Int) throws(MediaError) {
        try input.seekVideo(video, atOrBefore: frame, marginSeconds: 0, timing: timing, packet: packet, path: path)
        decoder.flush()
    }
}
