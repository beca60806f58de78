import CFFmpeg
import Foundation

// The libav side of frame access: reading a proxy's packet layout into a FrameIndex, and
// decoding one packet alone into RGB. Raw pointers stay in this file.

/// Reads where every packet of a proxy's video stream lies.
public enum FrameIndexBuilder {
    public static func build(proxy path: String) throws -> FrameIndex {
        var context: UnsafeMutablePointer<AVFormatContext>?
        try MediaError.throwIfFail(avformat_open_input(&context, path, nil, nil), "open \(path)")
        defer { avformat_close_input(&context) }
        try MediaError.throwIfFail(avformat_find_stream_info(context, nil), "read stream info of \(path)")
        let index = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        guard index >= 0, let stream = context!.pointee.streams[Int(index)] else { throw MediaError.noVideoStream(path: path) }
        let parameters = stream.pointee.codecpar.pointee
        let extradata = parameters.extradata.map { Data(bytes: $0, count: Int(parameters.extradata_size)) } ?? Data()
        let header = FrameIndex.Header(
            codec: String(cString: avcodec_get_name(parameters.codec_id)), width: Int(parameters.width),
            height: Int(parameters.height), pixelFormat: parameters.format,
            timeBase: [stream.pointee.time_base.num, stream.pointee.time_base.den],
            frameRate: [stream.pointee.avg_frame_rate.num, stream.pointee.avg_frame_rate.den], extradata: extradata)

        var entries: [FrameIndex.Entry] = []
        guard let packet = av_packet_alloc() as UnsafeMutablePointer<AVPacket>? else { throw outOfMemory() }
        defer { var doomed: UnsafeMutablePointer<AVPacket>? = packet; av_packet_free(&doomed) }
        while true {
            let read = av_read_frame(context, packet)
            if read == heaters_AVERROR_EOF() { break }
            try MediaError.throwIfFail(read, "read \(path)")
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == index else { continue }
            guard packet.pointee.flags & AV_PKT_FLAG_KEY != 0 else {
                throw MediaError.notMedia(path: path, reason: "frame \(entries.count) is not a key frame: not an all-intra proxy")
            }
            guard packet.pointee.pos >= 0 else {
                throw MediaError.notMedia(path: path, reason: "the container does not give packet offsets")
            }
            entries.append(FrameIndex.Entry(offset: packet.pointee.pos, size: packet.pointee.size,
                                            pts: packet.pointee.pts == heaters_AV_NOPTS_VALUE() ? packet.pointee.dts : packet.pointee.pts))
        }
        _ = packet
        // Presentation order: with all-intra frames it is the file order, but sort to be sure.
        entries.sort { $0.pts < $1.pts }
        return FrameIndex(header: header, entries: entries)
    }
}

/// Decodes single packets of one proxy (all key frames) into RGB24 at a requested size.
/// Not thread-safe: one per thread (or behind a lock).
public final class SingleFrameDecoder: @unchecked Sendable {
    private let context: UnsafeMutablePointer<AVCodecContext>
    private let frame: UnsafeMutablePointer<AVFrame>
    private let packet: UnsafeMutablePointer<AVPacket>
    private var scaler: OpaquePointer?
    private var scalerKey = ScalerKey(width: 0, height: 0, format: 0, outWidth: 0, outHeight: 0, outFormat: 0)

    private struct ScalerKey: Equatable {
        var width, height, format: Int32
        var outWidth, outHeight: Int
        var outFormat: Int32
    }

    /// `forAnalysis` trades exactness for speed: the H.264 loop filter is skipped, which
    /// leaves faint block edges that vanish once a frame is scaled down for scene analysis,
    /// but never for frames a person sees or a test compares.
    public init(header: FrameIndex.Header, forAnalysis: Bool = false) throws {
        guard let codec = avcodec_find_decoder_by_name(header.codec) else {
            throw MediaError.libav(operation: "find decoder \(header.codec)", code: heaters_AVERROR(ENOSYS), message: "no such decoder")
        }
        guard let context = avcodec_alloc_context3(codec), let frame = av_frame_alloc(), let packet = av_packet_alloc() else {
            throw outOfMemory()
        }
        self.context = context
        self.frame = frame
        self.packet = packet
        context.pointee.width = Int32(header.width)
        context.pointee.height = Int32(header.height)
        context.pointee.pix_fmt = AVPixelFormat(header.pixelFormat)
        context.pointee.thread_count = 1  // one frame at a time: threads would only add latency
        if forAnalysis {
            context.pointee.skip_loop_filter = AVDISCARD_ALL
            context.pointee.flags2 |= AV_CODEC_FLAG2_FAST
        }
        if !header.extradata.isEmpty {
            let size = header.extradata.count
            guard let buffer = av_mallocz(size + Int(AV_INPUT_BUFFER_PADDING_SIZE))?.assumingMemoryBound(to: UInt8.self) else {
                throw outOfMemory()
            }
            header.extradata.copyBytes(to: buffer, count: size)
            context.pointee.extradata = buffer
            context.pointee.extradata_size = Int32(size)
        }
        try MediaError.throwIfFail(avcodec_open2(context, codec, nil), "open decoder \(header.codec)")
    }

    deinit {
        var c: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&c)
        var f: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&f)
        var p: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&p)
        sws_freeContext(scaler)
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
        let format = AVPixelFormat(frame.pointee.format)
        let size = av_image_get_buffer_size(format, frame.pointee.width, frame.pointee.height, 1)
        try MediaError.throwIfFail(size, "frame size")
        var out = [UInt8](repeating: 0, count: Int(size))
        let written = withUnsafePointer(to: &frame.pointee.data) { data in
            withUnsafePointer(to: &frame.pointee.linesize) { lines in
                data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { planes in
                    lines.withMemoryRebound(to: Int32.self, capacity: 8) { strides in
                        av_image_copy_to_buffer(&out, size, planes, strides, format, frame.pointee.width, frame.pointee.height, 1)
                    }
                }
            }
        }
        try MediaError.throwIfFail(written, "copy frame")
        return out
    }

    private func decodeFrame(_ bytes: Data) throws {
        avcodec_flush_buffers(context)
        try MediaError.throwIfFail(av_new_packet(packet, Int32(bytes.count)), "allocate packet")
        defer { av_packet_unref(packet) }
        bytes.copyBytes(to: packet.pointee.data, count: bytes.count)
        packet.pointee.flags |= AV_PKT_FLAG_KEY
        try MediaError.throwIfFail(avcodec_send_packet(context, packet), "decode frame")
        // Drain: the one frame comes out now, whatever delay the decoder would like.
        try MediaError.throwIfFail(avcodec_send_packet(context, nil), "drain decoder")
        av_frame_unref(frame)
        try MediaError.throwIfFail(avcodec_receive_frame(context, frame), "receive frame")
    }

    private func scale(width: Int, height: Int, format: AVPixelFormat, flags: Int32) throws -> [UInt8] {
        let key = ScalerKey(width: frame.pointee.width, height: frame.pointee.height, format: frame.pointee.format,
                            outWidth: width, outHeight: height, outFormat: format.rawValue)
        if scaler == nil || scalerKey != key {
            sws_freeContext(scaler)
            scaler = sws_getContext(frame.pointee.width, frame.pointee.height, AVPixelFormat(frame.pointee.format),
                                    Int32(width), Int32(height), format, flags, nil, nil, nil)
            scalerKey = key
        }
        guard let scaler, let output = av_frame_alloc() else { throw outOfMemory() }
        var doomed: UnsafeMutablePointer<AVFrame>? = output
        defer { av_frame_free(&doomed) }
        output.pointee.width = Int32(width)
        output.pointee.height = Int32(height)
        output.pointee.format = format.rawValue
        try MediaError.throwIfFail(sws_scale_frame(scaler, output, frame), "scale frame")
        let stride = Int(output.pointee.linesize.0)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        guard let source = output.pointee.data.0 else { throw outOfMemory() }
        pixels.withUnsafeMutableBytes { target in
            for row in 0..<height {
                memcpy(target.baseAddress! + row * width * 3, source + row * stride, width * 3)
            }
        }
        return pixels
    }
}

private func outOfMemory() -> MediaError {
    .libav(operation: "allocate", code: heaters_AVERROR(ENOMEM), message: "out of memory")
}
