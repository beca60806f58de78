#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFFmpeg

/// Owns an opened decoder `AVCodecContext`.
final class MediaDecoder {
    private let pointer: UnsafeMutablePointer<AVCodecContext>

    init(parameters: UnsafePointer<AVCodecParameters>, timeBase: AVRational) throws(MediaError) {
        let name = String(cString: avcodec_get_name(parameters.pointee.codec_id))
        let (codec, context) = try Self.allocate(avcodec_find_decoder(parameters.pointee.codec_id), named: name)
        self.pointer = context
        try MediaError.throwIfFail(avcodec_parameters_to_context(context, parameters), "avcodec_parameters_to_context")
        context.pointee.pkt_timebase = timeBase
        context.pointee.thread_count = 0
        try MediaError.throwIfFail(avcodec_open2(context, codec, nil), "opening the \(name) decoder")
    }

    /// A decoder for packets read elsewhere (through a frame index), set up from what the
    /// index recorded: the codec's name, the picture's size and pixel format, the codec's
    /// extradata. `threads` 1 suits one-frame-at-a-time decoding (threads only add latency);
    /// `skipLoopFilter` trades exactness for speed, for analysis only.
    init(codecName: String, width: Int32, height: Int32, pixelFormat: Int32, extradata: [UInt8],
         threads: Int32, skipLoopFilter: Bool) throws(MediaError) {
        let (codec, context) = try Self.allocate(avcodec_find_decoder_by_name(codecName), named: codecName)
        self.pointer = context
        context.pointee.width = width
        context.pointee.height = height
        context.pointee.pix_fmt = AVPixelFormat(pixelFormat)
        context.pointee.thread_count = threads
        if skipLoopFilter {
            context.pointee.skip_loop_filter = AVDISCARD_ALL
            context.pointee.flags2 |= AV_CODEC_FLAG2_FAST
        }
        if !extradata.isEmpty {
            // The context frees its extradata; libav wants it padded and from av_malloc.
            guard let buffer = av_mallocz(extradata.count + Int(AV_INPUT_BUFFER_PADDING_SIZE))?
                .assumingMemoryBound(to: UInt8.self) else {
                throw .libav(operation: "av_mallocz", code: heaters_AVERROR(ENOMEM),
                             message: MediaError.message(for: heaters_AVERROR(ENOMEM)))
            }
            buffer.update(from: extradata, count: extradata.count)
            context.pointee.extradata = buffer
            context.pointee.extradata_size = Int32(extradata.count)
        }
        try MediaError.throwIfFail(avcodec_open2(context, codec, nil), "opening the \(codecName) decoder")
    }

    /// The decoder libav found (nil: this libavcodec has none) and a fresh context for it.
    private static func allocate(_ found: UnsafePointer<AVCodec>?, named name: String) throws(MediaError)
        -> (UnsafePointer<AVCodec>, UnsafeMutablePointer<AVCodecContext>) {
        guard let codec = found else {
            throw .libav(operation: "finding the \(name) decoder", code: heaters_AVERROR(ENOSYS),
                         message: "no \(name) decoder in this libavcodec")
        }
        guard let context = avcodec_alloc_context3(codec) else {
            throw .libav(operation: "avcodec_alloc_context3", code: heaters_AVERROR(ENOMEM),
                         message: MediaError.message(for: heaters_AVERROR(ENOMEM)))
        }
        return (codec, context)
    }

    deinit {
        var doomed: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&doomed)
    }

    var videoFormat: VideoFormat {
        let c = pointer.pointee
        return VideoFormat(width: c.width, height: c.height, pixelFormat: c.pix_fmt,
                           sampleAspectRatio: c.sample_aspect_ratio, colorRange: c.color_range,
                           colorSpace: c.colorspace, colorPrimaries: c.color_primaries,
                           colorTransfer: c.color_trc, chromaLocation: c.chroma_sample_location)
    }

    var audioFormat: AudioFormat {
        let c = pointer.pointee
        return AudioFormat(sampleRate: c.sample_rate, channels: c.ch_layout.nb_channels,
                           sampleFormat: c.sample_fmt, bitsPerRawSample: c.bits_per_raw_sample)
    }

    /// Feeds one packet (nil starts draining). Returns libav's code so the caller can decide
    /// whether a corrupt packet is fatal; EAGAIN cannot happen because the caller drains
    /// every frame after each packet.
    func send(_ packet: MediaPacket?) -> Int32 {
        avcodec_send_packet(pointer, packet?.pointer)
    }

    enum Received { case frame, needMore, error(Int32) }

    /// Drops buffered frames and references after a seek, so decoding restarts cleanly.
    func flush() { avcodec_flush_buffers(pointer) }

    func receive(into frame: MediaFrame) -> Received {
        let received = avcodec_receive_frame(pointer, frame.pointer)
        if received >= 0 { return .frame }
        if received == heaters_AVERROR(EAGAIN) || received == heaters_AVERROR_EOF() { return .needMore }
        return .error(received)
    }
}

extension MediaDecoder {
    /// Copies the decoder's channel layout, or the default layout for its channel count when
    /// the source does not say which channels it has.
    func copyChannelLayout(into layout: inout AVChannelLayout) {
        let source = pointer.pointee.ch_layout
        if source.order == AV_CHANNEL_ORDER_UNSPEC {
            av_channel_layout_default(&layout, source.nb_channels)
        } else {
            _ = withUnsafePointer(to: source) { av_channel_layout_copy(&layout, $0) }
        }
    }
}
