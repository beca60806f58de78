import CFFmpeg

/// Normalization step 2: decodes the best video stream (and the best audio stream) and
/// encodes an ordinary MP4 from what comes out: H.264 (libx264, preset fast, CRF 23, yuv420p,
/// the source's size rounded down to even and its own frame timing), AAC audio when the
/// source has audio, index up front (`+faststart`).
///
/// Damaged packets are dealt with as libav's decoders deal with them (skipped, or the frame
/// concealed), so the output decodes cleanly and keeps about the source's frame count. A
/// source too damaged for that to be a repair fails instead (see `run`).
enum Reencoder {
    /// What the re-encode wrote.
    struct Result: Equatable {
        var videoFrames: Int
        /// Decoder failures and concealed frames met on the way.
        var damagedFrames: Int
        var hasAudio: Bool
    }

    /// Writes `output` from `input`. Throws `.undecodable` when no frame decodes, when more
    /// than a quarter of the video packets are damaged, or when fewer than three quarters of
    /// the declared frames come out; `.cancelled` when `isCancelled` returned true (checked
    /// every frame); `.libav` for other libav failures.
    @discardableResult
    static func run(input path: String, output: String, progress: (Double) -> Void = { _ in },
                    isCancelled: () -> Bool = { false }) throws(MediaError) -> Result {
        let input = try InputFile(path: path)
        guard let video = input.bestStream(AVMEDIA_TYPE_VIDEO) else { throw .noVideoStream(path: path) }
        let audio = input.bestStream(AVMEDIA_TYPE_AUDIO)
        input.discardAll(except: [video] + (audio.map { [$0] } ?? []))
        let videoDecoder = try input.makeDecoder(stream: video)
        let audioDecoder = try audio.map { index throws(MediaError) in try input.makeDecoder(stream: index) }

        var source = videoDecoder.videoFormat
        guard source.width >= 2, source.height >= 2 else {
            throw .undecodable(path: path, reason: "the video stream declares no usable size")
        }
        source.width = source.width / 2 * 2  // 4:2:0 needs even dimensions
        source.height = source.height / 2 * 2
        let average = input.averageFrameRate(stream: video), base = input.baseFrameRate(stream: video)
        let rate = average.isValid ? average : (base.isValid ? base : Rational(25, 1))
        let timeBase = input.timeBase(stream: video)

        let file = try OutputFile(path: output, format: "mp4")
        let videoEncoder = try MediaEncoder.x264(source, frameRate: rate, timeBase: timeBase, crf: 23, preset: "fast",
                                                 globalHeader: file.wantsGlobalHeader)
        let videoStream = try file.addStream(for: videoEncoder)
        try file.copySideData(of: video, in: input, to: videoStream)
        var sound: AudioTrack?
        if let audioDecoder {
            let encoder = try MediaEncoder.aac(audioDecoder.audioFormat, layoutFrom: audioDecoder,
                                               globalHeader: file.wantsGlobalHeader)
            sound = AudioTrack(decoder: audioDecoder, encoder: encoder, stream: try file.addStream(for: encoder),
                               converter: try encoder.makeAudioConverter())
        }
        try file.writeHeader(options: [("movflags", "+faststart")])

        let videoStart = input.startSeconds(stream: video)
        var pictures = PictureWriter(file: file, encoder: videoEncoder, stream: videoStream,
                                     scaler: VideoScaler(width: source.width, height: source.height,
                                                         pixelFormat: AV_PIX_FMT_YUV420P),
                                     origin: videoStart.map { Int64(($0 / timeBase.doubleValue).rounded()) },
                                     ticksPerFrame: max(1, Int64((1 / (rate.doubleValue * timeBase.doubleValue)).rounded())))
        let expected = (input.durationSeconds(stream: video) ?? 0) * rate.doubleValue
        let audioBase = audio.map { input.timeBase(stream: $0).doubleValue } ?? 0
        let packet = MediaPacket()
        let decoded = MediaFrame()
        var videoPackets = 0
        var damaged = 0
        var lastReported = 0.0

        func drainVideo() throws(MediaError) {
            while true {
                switch videoDecoder.receive(into: decoded) {
                case .needMore: return
                case .error: damaged += 1; return
                case .frame: break
                }
                defer { decoded.unref() }
                if isCancelled() { throw .cancelled }
                if decoded.hasDecodeErrors { damaged += 1 }
                try pictures.write(decoded)
                if expected > 0, Double(pictures.written) / expected - lastReported >= 0.01 {
                    lastReported = min(Double(pictures.written) / expected, 0.99)
                    progress(lastReported)
                }
            }
        }

        while try input.readPacket(into: packet) {
            if packet.streamIndex == video {
                videoPackets += 1
                if videoDecoder.send(packet) < 0 { damaged += 1 }
                try drainVideo()
            } else if packet.streamIndex == audio, let track = sound {
                // A damaged audio packet costs a few milliseconds of sound, not the repair.
                _ = track.decoder.send(packet)
                try track.drain(into: file, videoStart: videoStart, timeBase: audioBase, final: false)
            }
        }
        _ = videoDecoder.send(nil)
        try drainVideo()
        if let track = sound {
            _ = track.decoder.send(nil)
            try track.drain(into: file, videoStart: videoStart, timeBase: audioBase, final: true)
        }

        let written = pictures.written
        guard written > 0 else { throw .undecodable(path: path, reason: "no video frame could be decoded") }
        if damaged > max(3, videoPackets / 4) {
            throw .undecodable(path: path, reason: "\(damaged) of \(videoPackets) video packets are damaged, "
                               + "too many for a re-encode to be a repair")
        }
        if expected >= 10, Double(written) < 0.75 * expected {
            throw .undecodable(path: path, reason: "only \(written) of about \(Int(expected.rounded())) frames could be decoded")
        }
        try pictures.finish()
        try file.finish()
        progress(1)
        return Result(videoFrames: written, damagedFrames: damaged, hasAudio: sound != nil)
    }
}

/// The re-encode's video side: converts each decoded frame to the encoder's size and format
/// and gives it a presentation time that strictly increases from zero.
private struct PictureWriter {
    let file: OutputFile
    let encoder: MediaEncoder
    let stream: Int32
    let scaler: VideoScaler
    /// The source time (in its time base) that becomes zero; the first frame's when unknown.
    var origin: Int64?
    let ticksPerFrame: Int64
    private let converted = MediaFrame()
    private let packet = MediaPacket()
    private var lastPresentation: Int64?
    private(set) var written = 0

    init(file: OutputFile, encoder: MediaEncoder, stream: Int32, scaler: VideoScaler, origin: Int64?, ticksPerFrame: Int64) {
        self.file = file
        self.encoder = encoder
        self.stream = stream
        self.scaler = scaler
        self.origin = origin
        self.ticksPerFrame = ticksPerFrame
    }

    mutating func write(_ frame: MediaFrame) throws(MediaError) {
        var time: Int64
        if let stamp = frame.bestEffortTimestamp {
            if origin == nil { origin = stamp }
            time = max(0, stamp - (origin ?? stamp))
        } else {
            time = (lastPresentation ?? -ticksPerFrame) + ticksPerFrame
        }
        if let lastPresentation, time <= lastPresentation { time = lastPresentation + 1 }
        lastPresentation = time
        try encoder.send(try scaler.conformed(frame, using: converted), pts: time)
        try file.drain(encoder, into: stream, using: packet)
        written += 1
    }

    func finish() throws(MediaError) {
        try encoder.send(nil, pts: nil)
        try file.drain(encoder, into: stream, using: packet)
    }
}

/// The re-encode's audio side: decoded audio through the converter into AAC.
private final class AudioTrack {
    let decoder: MediaDecoder
    let encoder: MediaEncoder
    let stream: Int32
    let converter: AudioConverter
    private let frame = MediaFrame()
    private let chunk = MediaFrame()
    private let packet = MediaPacket()
    /// Where (source seconds) the next decoded audio frame should start if none is missing.
    private var expectedStart: Double?

    init(decoder: MediaDecoder, encoder: MediaEncoder, stream: Int32, converter: AudioConverter) {
        self.decoder = decoder
        self.encoder = encoder
        self.stream = stream
        self.converter = converter
    }

    /// Encodes what the decoder has ready; `final` also flushes the converter and the encoder.
    func drain(into file: OutputFile, videoStart: Double?, timeBase: Double, final: Bool) throws(MediaError) {
        receiving: while true {
            switch decoder.receive(into: frame) {
            case .needMore, .error: break receiving
            case .frame:
                defer { frame.unref() }
                let start = frame.bestEffortTimestamp.map { Double($0) * timeBase }
                if let start, let expectedStart {
                    // A damaged packet that did not decode leaves a hole; silence fills it so the
                    // sound after it stays in sync with the picture.
                    let gap = start - expectedStart
                    if gap > 0.02 && gap < 10 { try converter.insertSilence(seconds: gap) }
                } else if expectedStart == nil, let start, let videoStart, abs(start - videoStart) < 10 {
                    // Time zero is the video's start; keep the audio's offset to it.
                    try converter.alignStart(offsetSeconds: start - videoStart)
                }
                if frame.sampleRate > 0 {
                    // Overlapping audio is queued right after the previous frame, not at its own time.
                    let placed = max(start ?? expectedStart ?? 0, expectedStart ?? -.infinity)
                    expectedStart = placed + Double(frame.sampleCount) / Double(frame.sampleRate)
                }
                try converter.push(frame)
            }
        }
        if final { try converter.flush() }
        while try converter.pop(into: chunk, final: final) {
            try encoder.send(chunk, pts: nil)
            try file.drain(encoder, into: stream, using: packet)
        }
        if final {
            try encoder.send(nil, pts: nil)
            try file.drain(encoder, into: stream, using: packet)
        }
    }
}
