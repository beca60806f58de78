import CFFmpeg
import Foundation

/// Decodes single packets of one proxy (all key frames) into RGB24 or BGR24 at a requested
/// size, or into the decoder's own planes. Not thread-safe: one per thread (or behind a lock).
public final class SingleFrameDecoder: @unchecked Sendable {
    private let decoder: MediaDecoder
    private let packet = MediaPacket()
    private let frame = MediaFrame()
    private let scaled = MediaFrame()
    private var scaler: VideoScaler?
    private var scalerKey: ScalerKey?

    private struct ScalerKey: Equatable {
        var width: Int
        var height: Int
        var format: AVPixelFormat.RawValue
        var flags: Int32
    }

    /// `forAnalysis` trades exactness for speed: the H.264 loop filter is skipped, which
    /// leaves faint block edges that vanish once a frame is scaled down for scene analysis,
    /// but never for frames a person sees or a test compares.
    public init(header: FrameIndex.Header, forAnalysis: Bool = false) throws {
        decoder = try MediaDecoder(codecName: header.codec, width: Int32(header.width), height: Int32(header.height),
                                   pixelFormat: header.pixelFormat, extradata: Array(header.extradata),
                                   threads: 1, skipLoopFilter: forAnalysis)
    }

    /// Decodes one packet's bytes and scales the picture to `width`×`height` RGB24.
    public func decode(_ bytes: Data, width: Int, height: Int) throws -> PixelBuffer {
        try decodeFrame(bytes)
        return PixelBuffer(width: width, height: height, rgb: try scale(
            width: width, height: height, format: AV_PIX_FMT_RGB24, flags: SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT))
    }

    /// Decodes one packet's bytes into packed BGR24 at `width`×`height`, scaled by area
    /// averaging: what scene analysis reads, cheaper than `decode`'s display-quality scaling.
    public func decodeForAnalysis(_ bytes: Data, width: Int, height: Int) throws -> [UInt8] {
        try decodeFrame(bytes)
        return try scale(width: width, height: height, format: AV_PIX_FMT_BGR24, flags: SWS_AREA)
    }

    /// Decodes one packet's bytes into the decoder's own pixel format, planes packed one
    /// after the other with no padding (what ffmpeg's rawvideo output holds): for exact checks.
    public func decodePlanes(_ bytes: Data) throws -> [UInt8] {
        try decodeFrame(bytes)
        return try frame.copyPlanes()
    }

    private func decodeFrame(_ bytes: Data) throws {
        decoder.flush()
        try packet.fill(keyFrame: bytes)
        defer { packet.unref() }
        try MediaError.throwIfFail(decoder.send(packet), "decoding a frame")
        // Drain: the one frame comes out now, whatever delay the decoder would like.
        try MediaError.throwIfFail(decoder.send(nil), "draining the decoder")
        frame.unref()
        switch decoder.receive(into: frame) {
        case .frame: return
        case .needMore: throw MediaError.undecodable(path: "frame packet", reason: "the decoder returned no picture")
        case .error(let code): try MediaError.throwIfFail(code, "receiving a frame")
        }
    }

    private func scale(width: Int, height: Int, format: AVPixelFormat, flags: Int32) throws -> [UInt8] {
        let key = ScalerKey(width: width, height: height, format: format.rawValue, flags: flags)
        if scalerKey != key {
            scaler = VideoScaler(width: Int32(width), height: Int32(height), pixelFormat: format, flags: flags)
            scalerKey = key
        }
        try scaler!.scale(frame, into: scaled)
        var pixels: [UInt8] = []
        scaled.copyPackedPixels(into: &pixels, rowBytes: width * 3)
        return pixels
    }
}
