import CFFmpeg

/// Decodes a video front to back into small packed BGR24 frames, for analysis (scene
/// detection). Frames come out in presentation order, numbered from 0 as decoded, which on
/// a proxy (constant rate, every frame present) is the source's frame number.
///
/// Corrupt packets are forgiven as `CorruptPacketTolerance` says; past that it throws
/// `.undecodable`.
public final class DownscaledFrameReader {
    public let width: Int
    public let height: Int
    /// The stream's average frame rate (0/1 when it declares none).
    public let frameRate: Rational
    /// Frames the container's duration suggests, for progress; nil when it declares none.
    public let expectedFrames: Int?

    private let input: InputFile
    private let videoIndex: Int32
    private let decoder: MediaDecoder
    private let scaler: VideoScaler
    private let packet = MediaPacket()
    private let decoded = MediaFrame()
    private let scaled = MediaFrame()
    private var draining = false
    private var tolerance: CorruptPacketTolerance

    /// Opens `path`; frames come out `width` pixels wide (even), the height following the
    /// display aspect (even, at least 8).
    public init(path: String, width requestedWidth: Int = 160) throws(MediaError) {
        input = try InputFile(path: path)
        tolerance = CorruptPacketTolerance(path: path)
        guard let index = input.bestStream(AVMEDIA_TYPE_VIDEO) else { throw .noVideoStream(path: path) }
        if input.isStillImage(stream: index) { throw .undecodable(path: path, reason: "it holds a still image, not a video") }
        videoIndex = index
        input.discardAll(except: [index])
        decoder = try input.makeDecoder(stream: index)
        let format = decoder.videoFormat
        guard format.width > 0, format.height > 0 else { throw .undecodable(path: path, reason: "the video stream declares no size") }
        let aspect = format.sampleAspectRatio.num > 0 && format.sampleAspectRatio.den > 0
            ? Double(format.sampleAspectRatio.num) / Double(format.sampleAspectRatio.den) : 1
        let displayWidth = Double(format.width) * aspect
        width = max(8, requestedWidth / 2 * 2)
        height = max(8, Int((Double(width) * Double(format.height) / displayWidth / 2).rounded()) * 2)
        scaler = VideoScaler(width: Int32(width), height: Int32(height), pixelFormat: AV_PIX_FMT_BGR24, flags: SWS_AREA)
        frameRate = input.averageFrameRate(stream: index)
        let seconds = input.durationSeconds(stream: index) ?? 0
        expectedFrames = seconds > 0 && frameRate.doubleValue > 0 ? Int((seconds * frameRate.doubleValue).rounded()) : nil
    }

    /// Decodes the next frame into `buffer` (`width × height × 3` bytes, rows packed);
    /// false at the end of the video.
    public func next(into buffer: inout [UInt8]) throws(MediaError) -> Bool {
        while true {
            switch decoder.receive(into: decoded) {
            case .frame:
                defer { decoded.unref() }
                try scaler.scale(decoded, into: scaled)
                scaled.copyPackedPixels(into: &buffer, rowBytes: width * 3)
                return true
            case .error(let code):
                try tolerance.note(code)
                if draining { return false }
            case .needMore:
                if draining { return false }
            }
            if try input.readPacket(into: packet) {
                guard packet.streamIndex == videoIndex else { continue }
                tolerance.packets += 1
                let sent = decoder.send(packet)
                packet.unref()
                if sent < 0, sent != heaters_AVERROR(EAGAIN) { try tolerance.note(sent) }
            } else {
                _ = decoder.send(nil)
                draining = true
            }
        }
    }
}
