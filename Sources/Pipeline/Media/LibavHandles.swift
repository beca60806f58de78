#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFFmpeg

// The Swift owners of the libav handles the media code uses: demux, decode, convert, encode,
// mux. They live in one file because frames and packets travel between them, and raw
// pointers must not leave the file that owns them. VideoProbe.swift and Preprocessor.swift
// see only these classes and Swift values. Every handle is freed in its owner's deinit, so an error thrown
// halfway through a pass leaks nothing.

/// Owns an `AVFrame` (video or audio).
final class MediaFrame {
    fileprivate let pointer: UnsafeMutablePointer<AVFrame>

    init() {
        guard let frame = av_frame_alloc() else { fatalError("av_frame_alloc: out of memory") }
        pointer = frame
    }

    deinit {
        var doomed: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&doomed)
    }

    func unref() { av_frame_unref(pointer) }

    /// Makes this frame a new reference to `other`'s buffers (no pixel copy).
    func reference(_ other: MediaFrame) throws(MediaError) {
        av_frame_unref(pointer)
        try MediaError.throwIfFail(av_frame_ref(pointer, other.pointer), "av_frame_ref")
    }

    /// Copies the first plane's pixels (all of a packed format such as BGR24) row by row into
    /// `buffer`, `rowBytes` bytes per row with no padding.
    func copyPackedPixels(into buffer: inout [UInt8], rowBytes: Int) {
        let rows = Int(pointer.pointee.height), stride = Int(pointer.pointee.linesize.0)
        guard let source = pointer.pointee.data.0, rows > 0, stride >= rowBytes else { buffer.removeAll(); return }
        if buffer.count != rows * rowBytes { buffer = [UInt8](repeating: 0, count: rows * rowBytes) }
        buffer.withUnsafeMutableBytes { target in
            for row in 0..<rows { memcpy(target.baseAddress! + row * rowBytes, source + row * stride, rowBytes) }
        }
    }

    /// The decoder's best guess of the presentation time, in the stream's time base.
    var bestEffortTimestamp: Int64? {
        let value = pointer.pointee.best_effort_timestamp
        return value == heaters_AV_NOPTS_VALUE() ? nil : value
    }

    /// An audio frame's sample count and rate.
    var sampleCount: Int32 { pointer.pointee.nb_samples }
    var sampleRate: Int32 { pointer.pointee.sample_rate }

    /// True when the decoder concealed errors in this frame or flagged it corrupt: libav
    /// often hides damaged slices this way instead of returning an error code.
    var hasDecodeErrors: Bool {
        pointer.pointee.decode_error_flags != 0 || pointer.pointee.flags & AV_FRAME_FLAG_CORRUPT != 0
    }
}

/// Owns an `AVPacket`.
final class MediaPacket {
    fileprivate let pointer: UnsafeMutablePointer<AVPacket>

    init() {
        guard let packet = av_packet_alloc() else { fatalError("av_packet_alloc: out of memory") }
        pointer = packet
    }

    deinit {
        var doomed: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&doomed)
    }

    var streamIndex: Int32 { pointer.pointee.stream_index }
    func unref() { av_packet_unref(pointer) }

    /// Decode time in the stream's time base; nil when the container gave none.
    var decodeTimestamp: Int64? {
        let value = pointer.pointee.dts
        return value == heaters_AV_NOPTS_VALUE() ? nil : value
    }

    /// Presentation time in the stream's time base; nil when the container gave none.
    var presentationTimestamp: Int64? {
        let value = pointer.pointee.pts
        return value == heaters_AV_NOPTS_VALUE() ? nil : value
    }

    /// The packet's duration in the stream's time base (0 when unknown).
    var duration: Int64 { pointer.pointee.duration }

    /// Replaces both timestamps (nil leaves one unset).
    func setTimestamps(presentation: Int64?, decode: Int64?) {
        pointer.pointee.pts = presentation ?? heaters_AV_NOPTS_VALUE()
        pointer.pointee.dts = decode ?? heaters_AV_NOPTS_VALUE()
    }

    /// Converts the timestamps and duration from one time base to another.
    func rescaleTimestamps(from source: Rational, to destination: Rational) {
        av_packet_rescale_ts(pointer, AVRational(num: source.numerator, den: source.denominator),
                             AVRational(num: destination.numerator, den: destination.denominator))
    }

    var isKeyFrame: Bool { pointer.pointee.flags & AV_PKT_FLAG_KEY != 0 }

    /// The demuxer marked the packet as damaged (a checksum or framing error it noticed).
    var isCorrupt: Bool { pointer.pointee.flags & AV_PKT_FLAG_CORRUPT != 0 }
}

/// What the encoders need to know about the source video, copied out of the decoder.
struct VideoFormat {
    var width: Int32
    var height: Int32
    var pixelFormat: AVPixelFormat
    var sampleAspectRatio: AVRational
    var colorRange: AVColorRange
    var colorSpace: AVColorSpace
    var colorPrimaries: AVColorPrimaries
    var colorTransfer: AVColorTransferCharacteristic
    var chromaLocation: AVChromaLocation
}

/// What the audio encoder needs to know about the source audio.
struct AudioFormat {
    var sampleRate: Int32
    var channels: Int32
    var sampleFormat: AVSampleFormat
    var bitsPerRawSample: Int32
}

/// Owns an input `AVFormatContext`, opened with its stream info read.
final class InputFile {
    private let pointer: UnsafeMutablePointer<AVFormatContext>
    let path: String

    init(path: String) throws(MediaError) {
        var context: UnsafeMutablePointer<AVFormatContext>?
        let opened = avformat_open_input(&context, path, nil, nil)
        if opened == heaters_AVERROR(ENOENT) { throw .fileNotFound(path: path) }
        guard opened >= 0, let context else {
            throw .notMedia(path: path, reason: MediaError.message(for: opened))
        }
        self.pointer = context
        self.path = path
        let found = avformat_find_stream_info(context, nil)
        guard found >= 0 else { throw .notMedia(path: path, reason: MediaError.message(for: found)) }
    }

    deinit {
        var doomed: UnsafeMutablePointer<AVFormatContext>? = pointer
        avformat_close_input(&doomed)
    }

    func bestStream(_ type: AVMediaType) -> Int32? {
        let index = av_find_best_stream(pointer, type, -1, -1, nil, 0)
        return index >= 0 ? index : nil
    }

    /// True when stream `index` is a picture rather than a video: cover art attached to an
    /// audio file, or the only stream of an image file (image2, png_pipe, jpeg_pipe, …).
    func isStillImage(stream index: Int32) -> Bool {
        let stream = pointer.pointee.streams[Int(index)]!.pointee
        if stream.disposition & AV_DISPOSITION_ATTACHED_PIC != 0 { return true }
        let name = String(cString: pointer.pointee.iformat.pointee.name)
        return name == "image2" || name.hasSuffix("_pipe")
    }

    /// Tells the demuxer to skip every stream but `keep`, so their packets are never read.
    func discardAll(except keep: [Int32]) {
        for index in 0..<Int(pointer.pointee.nb_streams) where !keep.contains(Int32(index)) {
            pointer.pointee.streams[index]!.pointee.discard = AVDISCARD_ALL
        }
    }

    func averageFrameRate(stream index: Int32) -> Rational {
        let rate = pointer.pointee.streams[Int(index)]!.pointee.avg_frame_rate
        return Rational(rate.num, rate.den)
    }

    func baseFrameRate(stream index: Int32) -> Rational {
        let rate = pointer.pointee.streams[Int(index)]!.pointee.r_frame_rate
        return Rational(rate.num, rate.den)
    }

    func timeBase(stream index: Int32) -> Rational {
        let base = pointer.pointee.streams[Int(index)]!.pointee.time_base
        return Rational(base.num, base.den)
    }

    /// The stream's duration in seconds, else the container's, if either is declared.
    func durationSeconds(stream index: Int32) -> Double? {
        let stream = pointer.pointee.streams[Int(index)]!.pointee
        if stream.duration != heaters_AV_NOPTS_VALUE(), stream.duration > 0 {
            return Double(stream.duration) * av_q2d(stream.time_base)
        }
        let duration = pointer.pointee.duration
        guard duration != heaters_AV_NOPTS_VALUE(), duration > 0 else { return nil }
        return Double(duration) / Double(AV_TIME_BASE)
    }

    /// The stream's first presentation time in seconds, if declared.
    func startSeconds(stream index: Int32) -> Double? {
        let stream = pointer.pointee.streams[Int(index)]!.pointee
        guard stream.start_time != heaters_AV_NOPTS_VALUE() else { return nil }
        return Double(stream.start_time) * av_q2d(stream.time_base)
    }

    /// Reads the next packet of a kept stream; false at end of file.
    func readPacket(into packet: MediaPacket) throws(MediaError) -> Bool {
        packet.unref()
        let read = av_read_frame(pointer, packet.pointer)
        if read == heaters_AVERROR_EOF() { return false }
        try MediaError.throwIfFail(read, "reading \(path)")
        return true
    }

    /// libav's name of the container format.
    var formatName: String { String(cString: pointer.pointee.iformat.pointee.name) }

    /// The coded width, height and codec name of stream `index`.
    func codedSize(stream index: Int32) -> (width: Int, height: Int, codec: String) {
        let parameters = pointer.pointee.streams[Int(index)]!.pointee.codecpar.pointee
        return (Int(parameters.width), Int(parameters.height), String(cString: avcodec_get_name(parameters.codec_id)))
    }

    /// av_display_rotation_get's angle (counter-clockwise) for stream `index`; nil without
    /// a display matrix.
    func displayRotationCounterClockwise(stream index: Int32) -> Double? {
        var degrees = 0.0
        return heaters_stream_display_rotation(pointer.pointee.streams[Int(index)]!, &degrees) == 1 ? degrees : nil
    }

    /// libav's media type of stream `index` (video, audio, subtitle, data, …).
    func mediaType(stream index: Int32) -> AVMediaType {
        pointer.pointee.streams[Int(index)]!.pointee.codecpar.pointee.codec_type
    }

    /// Asks the demuxer to fill in presentation times a container left out (from decode
    /// times and frame order), as the ffmpeg CLI's `-fflags +genpts` does. Call before reading.
    func generateMissingPresentationTimes() {
        pointer.pointee.flags |= AVFMT_FLAG_GENPTS
    }

    /// Moves to the last key frame of stream `index` at or before `seconds` (stream time);
    /// false when the container cannot seek there. Decoders must be flushed afterwards.
    func seek(stream index: Int32, toSeconds seconds: Double) -> Bool {
        let base = pointer.pointee.streams[Int(index)]!.pointee.time_base
        guard base.num > 0, base.den > 0 else { return false }
        let timestamp = Int64((seconds * Double(base.den) / Double(base.num)).rounded(.down))
        return av_seek_frame(pointer, index, timestamp, AVSEEK_FLAG_BACKWARD) >= 0
    }

    fileprivate func stream(_ index: Int32) -> UnsafeMutablePointer<AVStream> {
        pointer.pointee.streams[Int(index)]!
    }

    func makeDecoder(stream index: Int32) throws(MediaError) -> MediaDecoder {
        let stream = pointer.pointee.streams[Int(index)]!
        return try MediaDecoder(parameters: stream.pointee.codecpar, timeBase: stream.pointee.time_base)
    }
}

/// Owns an opened decoder `AVCodecContext`.
final class MediaDecoder {
    private let pointer: UnsafeMutablePointer<AVCodecContext>

    fileprivate init(parameters: UnsafePointer<AVCodecParameters>, timeBase: AVRational) throws(MediaError) {
        let name = String(cString: avcodec_get_name(parameters.pointee.codec_id))
        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
            throw .libav(operation: "avcodec_find_decoder(\(name))", code: heaters_AVERROR(ENOSYS),
                         message: "no \(name) decoder in this libavcodec")
        }
        guard let context = avcodec_alloc_context3(codec) else {
            throw .libav(operation: "avcodec_alloc_context3", code: heaters_AVERROR(ENOMEM),
                         message: MediaError.message(for: heaters_AVERROR(ENOMEM)))
        }
        self.pointer = context
        try MediaError.throwIfFail(avcodec_parameters_to_context(context, parameters), "avcodec_parameters_to_context")
        context.pointee.pkt_timebase = timeBase
        context.pointee.thread_count = 0
        try MediaError.throwIfFail(avcodec_open2(context, codec, nil), "opening the \(name) decoder")
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

/// Owns a swscale context converting video frames to one fixed size and pixel format.
/// The source geometry is taken from each frame, so a mid-stream size change is handled.
final class VideoScaler {
    private var context: OpaquePointer?
    let width: Int32
    let height: Int32
    let pixelFormat: AVPixelFormat
    private let flags: Int32

    init(width: Int32, height: Int32, pixelFormat: AVPixelFormat, flags: Int32 = SWS_BICUBIC) {
        self.width = width
        self.height = height
        self.pixelFormat = pixelFormat
        self.flags = flags
    }

    deinit { sws_freeContext(context) }

    /// True when `frame` already has this scaler's size and pixel format.
    func matches(_ frame: MediaFrame) -> Bool {
        let f = frame.pointer.pointee
        return f.width == width && f.height == height && f.format == pixelFormat.rawValue
    }

    /// `frame` itself when it already has this scaler's size and format, else `frame`
    /// converted into `scratch`.
    func conformed(_ frame: MediaFrame, using scratch: MediaFrame) throws(MediaError) -> MediaFrame {
        if matches(frame) { return frame }
        try scale(frame, into: scratch)
        return scratch
    }

    /// Writes `source` converted into `destination` (whose previous buffers are released).
    func scale(_ source: MediaFrame, into destination: MediaFrame) throws(MediaError) {
        let src = source.pointer
        guard src.pointee.width > 0, src.pointee.height > 0, src.pointee.format >= 0 else {
            throw .libav(operation: "sws_scale_frame", code: heaters_AVERROR(EINVAL), message: "frame without pixels")
        }
        context = sws_getCachedContext(context, src.pointee.width, src.pointee.height,
                                       AVPixelFormat(rawValue: src.pointee.format),
                                       width, height, pixelFormat, flags, nil, nil, nil)
        guard let context else {
            throw .libav(operation: "sws_getCachedContext", code: heaters_AVERROR(EINVAL),
                         message: "unsupported conversion from \(src.pointee.width)x\(src.pointee.height) "
                            + "\(pixelFormatName(AVPixelFormat(rawValue: src.pointee.format)))")
        }
        let dst = destination.pointer
        av_frame_unref(dst)
        dst.pointee.width = width
        dst.pointee.height = height
        dst.pointee.format = pixelFormat.rawValue
        try MediaError.throwIfFail(sws_scale_frame(context, dst, src), "sws_scale_frame")
        dst.pointee.color_primaries = src.pointee.color_primaries
        dst.pointee.color_trc = src.pointee.color_trc
        dst.pointee.colorspace = src.pointee.colorspace
    }
}

func pixelFormatName(_ format: AVPixelFormat) -> String {
    guard let name = av_get_pix_fmt_name(format) else { return "unknown pixel format" }
    return String(cString: name)
}

/// Owns a swresample context plus a sample FIFO: converts decoded audio to the encoder's
/// sample format and cuts it into frames of exactly the encoder's frame size.
final class AudioConverter {
    private var resampler: OpaquePointer?
    private let fifo: OpaquePointer
    private let converted = MediaFrame()
    private let format: AVSampleFormat
    private let sampleRate: Int32
    private var layout = AVChannelLayout()
    let frameSize: Int32
    private var samplesOut: Int64 = 0
    private var pendingTrim: Int32 = 0

    fileprivate init(encoder: UnsafeMutablePointer<AVCodecContext>, frameSize: Int32) throws(MediaError) {
        format = encoder.pointee.sample_fmt
        sampleRate = encoder.pointee.sample_rate
        self.frameSize = frameSize
        guard let fifo = av_audio_fifo_alloc(format, encoder.pointee.ch_layout.nb_channels, frameSize) else {
            throw .libav(operation: "av_audio_fifo_alloc", code: heaters_AVERROR(ENOMEM),
                         message: MediaError.message(for: heaters_AVERROR(ENOMEM)))
        }
        self.fifo = fifo
        try MediaError.throwIfFail(av_channel_layout_copy(&layout, &encoder.pointee.ch_layout), "av_channel_layout_copy")
    }

    deinit {
        swr_free(&resampler)
        av_audio_fifo_free(fifo)
        av_channel_layout_uninit(&layout)
    }

    /// Moves the audio relative to the output's time zero: a positive offset (audio starts
    /// after the first video frame) queues that much silence first, a negative one drops that
    /// many leading samples. Call before the first `push`.
    func alignStart(offsetSeconds offset: Double) throws(MediaError) {
        let samples = Int32(max(-1e7, min(1e7, (offset * Double(sampleRate)).rounded())))
        if samples < 0 { pendingTrim = -samples; return }
        try insertSilence(samples: samples)
    }

    /// Queues `seconds` of silence after the samples pushed so far (to fill a gap in the
    /// source's audio, so what follows keeps its time).
    func insertSilence(seconds: Double) throws(MediaError) {
        try insertSilence(samples: Int32(max(0, min(1e7, (seconds * Double(sampleRate)).rounded()))))
    }

    private func insertSilence(samples: Int32) throws(MediaError) {
        guard samples > 0 else { return }
        let silence = MediaFrame()
        let f = silence.pointer
        f.pointee.nb_samples = samples
        f.pointee.format = format.rawValue
        f.pointee.sample_rate = sampleRate
        try MediaError.throwIfFail(av_channel_layout_copy(&f.pointee.ch_layout, &layout), "av_channel_layout_copy")
        try MediaError.throwIfFail(av_frame_get_buffer(f, 0), "av_frame_get_buffer(audio)")
        try MediaError.throwIfFail(av_samples_set_silence(f.pointee.extended_data, 0, samples, layout.nb_channels, format),
                                   "av_samples_set_silence")
        try MediaError.throwIfFail(heaters_audio_fifo_write_frame(fifo, f), "av_audio_fifo_write")
    }

    /// Converts one decoded frame and queues its samples.
    func push(_ frame: MediaFrame) throws(MediaError) {
        if resampler == nil { try configure(from: frame.pointer) }
        try convert(frame.pointer)
    }

    /// Pulls the resampler's delayed samples at end of stream.
    func flush() throws(MediaError) {
        guard resampler != nil else { return }
        try convert(nil)
    }

    /// The next encoder-sized frame, or the short remainder when `final`; nil if not enough.
    func pop(into frame: MediaFrame, final: Bool) throws(MediaError) -> Bool {
        let available = av_audio_fifo_size(fifo)
        guard available >= frameSize || (final && available > 0) else { return false }
        let count = min(available, frameSize)
        let f = frame.pointer
        av_frame_unref(f)
        f.pointee.nb_samples = count
        f.pointee.format = format.rawValue
        f.pointee.sample_rate = sampleRate
        try MediaError.throwIfFail(av_channel_layout_copy(&f.pointee.ch_layout, &layout), "av_channel_layout_copy")
        try MediaError.throwIfFail(av_frame_get_buffer(f, 0), "av_frame_get_buffer(audio)")
        let read = try MediaError.throwIfFail(heaters_audio_fifo_read_frame(fifo, f, count), "av_audio_fifo_read")
        f.pointee.nb_samples = read
        f.pointee.pts = samplesOut
        samplesOut += Int64(read)
        return true
    }

    private func configure(from frame: UnsafeMutablePointer<AVFrame>) throws(MediaError) {
        var inputLayout = AVChannelLayout()
        defer { av_channel_layout_uninit(&inputLayout) }
        if frame.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || frame.pointee.ch_layout.nb_channels == 0 {
            av_channel_layout_default(&inputLayout, max(frame.pointee.ch_layout.nb_channels, layout.nb_channels))
        } else {
            try MediaError.throwIfFail(av_channel_layout_copy(&inputLayout, &frame.pointee.ch_layout), "av_channel_layout_copy")
        }
        try MediaError.throwIfFail(
            swr_alloc_set_opts2(&resampler, &layout, format, sampleRate,
                                &inputLayout, AVSampleFormat(rawValue: frame.pointee.format), frame.pointee.sample_rate,
                                0, nil),
            "swr_alloc_set_opts2")
        try MediaError.throwIfFail(swr_init(resampler), "swr_init")
    }

    private func convert(_ input: UnsafeMutablePointer<AVFrame>?) throws(MediaError) {
        let out = converted.pointer
        av_frame_unref(out)
        out.pointee.format = format.rawValue
        out.pointee.sample_rate = sampleRate
        try MediaError.throwIfFail(av_channel_layout_copy(&out.pointee.ch_layout, &layout), "av_channel_layout_copy")
        if input == nil {
            // swr_convert_frame allocates from swr_get_out_samples, which is 0 for a pure flush.
            let pending = swr_get_delay(resampler, Int64(sampleRate))
            guard pending > 0 else { return }
            out.pointee.nb_samples = Int32(pending) + 32
            try MediaError.throwIfFail(av_frame_get_buffer(out, 0), "av_frame_get_buffer(audio)")
        } else if let input, input.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC {
            // swresample rejects unspecified layouts; the channel count was checked at configure.
            av_channel_layout_uninit(&input.pointee.ch_layout)
            av_channel_layout_default(&input.pointee.ch_layout, layout.nb_channels)
        }
        try MediaError.throwIfFail(swr_convert_frame(resampler, out, input), "converting audio samples")
        if out.pointee.nb_samples > 0 {
            try MediaError.throwIfFail(heaters_audio_fifo_write_frame(fifo, out), "av_audio_fifo_write")
        }
        if pendingTrim > 0 {
            let dropped = min(pendingTrim, av_audio_fifo_size(fifo))
            try MediaError.throwIfFail(av_audio_fifo_drain(fifo, dropped), "av_audio_fifo_drain")
            pendingTrim -= dropped
        }
    }
}

/// Owns an opened encoder `AVCodecContext`.
final class MediaEncoder {
    private let pointer: UnsafeMutablePointer<AVCodecContext>
    private let scratch = MediaFrame()
    let name: String

    private init(codec: UnsafePointer<AVCodec>, name: String) throws(MediaError) {
        guard let context = avcodec_alloc_context3(codec) else {
            throw .libav(operation: "avcodec_alloc_context3", code: heaters_AVERROR(ENOMEM),
                         message: MediaError.message(for: heaters_AVERROR(ENOMEM)))
        }
        self.pointer = context
        self.name = name
    }

    deinit {
        var doomed: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&doomed)
    }

    private static func find(_ name: String) throws(MediaError) -> UnsafePointer<AVCodec> {
        guard let codec = avcodec_find_encoder_by_name(name) else {
            throw .libav(operation: "avcodec_find_encoder_by_name(\(name))", code: heaters_AVERROR(ENOSYS),
                         message: "this libavcodec has no \(name) encoder")
        }
        return codec
    }

    /// Opens the codec with `options`; an option the encoder did not recognise is an error.
    private func open(options: [(String, String)]) throws(MediaError) {
        var dictionary: OpaquePointer?
        defer { av_dict_free(&dictionary) }
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        try MediaError.throwIfFail(avcodec_open2(pointer, pointer.pointee.codec, &dictionary), "opening the \(name) encoder")
        if let unused = av_dict_get(dictionary, "", nil, AV_DICT_IGNORE_SUFFIX) {
            throw .libav(operation: "opening the \(name) encoder", code: heaters_AVERROR(EINVAL),
                         message: "option \(String(cString: unused.pointee.key)) not recognised")
        }
    }

    private func applyVideo(_ format: VideoFormat, frameRate: Rational, globalHeader: Bool) {
        let c = pointer
        c.pointee.width = format.width
        c.pointee.height = format.height
        c.pointee.time_base = AVRational(num: frameRate.denominator, den: frameRate.numerator)
        c.pointee.framerate = AVRational(num: frameRate.numerator, den: frameRate.denominator)
        c.pointee.color_range = format.colorRange
        c.pointee.colorspace = format.colorSpace
        c.pointee.color_primaries = format.colorPrimaries
        c.pointee.color_trc = format.colorTransfer
        c.pointee.chroma_sample_location = format.chromaLocation
        c.pointee.thread_count = 0
        if globalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
    }

    /// The pixel format FFV1 will store for `source`: the same one when FFV1 supports it
    /// (lossless), else libav's least lossy choice among FFV1's formats.
    static func ffv1PixelFormat(for source: AVPixelFormat) throws(MediaError) -> AVPixelFormat {
        let codec = try find("ffv1")
        guard let formats = codec.pointee.pix_fmts else { return source }
        var index = 0
        while formats[index] != AV_PIX_FMT_NONE {
            if formats[index] == source { return source }
            index += 1
        }
        let best = avcodec_find_best_pix_fmt_of_list(formats, source, 0, nil)
        guard best != AV_PIX_FMT_NONE else {
            throw .libav(operation: "choosing an FFV1 pixel format", code: heaters_AVERROR(EINVAL),
                         message: "no FFV1 format for \(pixelFormatName(source))")
        }
        return best
    }

    /// FFV1 version 3 (slices with CRCs), every frame self-contained (GOP 1, as archives use).
    static func ffv1(_ format: VideoFormat, frameRate: Rational, globalHeader: Bool) throws(MediaError) -> MediaEncoder {
        let encoder = try MediaEncoder(codec: try find("ffv1"), name: "ffv1")
        encoder.applyVideo(format, frameRate: frameRate, globalHeader: globalHeader)
        let c = encoder.pointer
        c.pointee.pix_fmt = format.pixelFormat
        c.pointee.sample_aspect_ratio = format.sampleAspectRatio
        c.pointee.level = 3
        c.pointee.gop_size = 1
        try encoder.open(options: [("slicecrc", "1")])
        return encoder
    }

    /// libx264, all intra (GOP 1 and keyint=1 in x264's own options), yuv420p.
    static func x264(width: Int32, height: Int32, source: VideoFormat, frameRate: Rational, crf: Int,
                     preset: String, globalHeader: Bool) throws(MediaError) -> MediaEncoder {
        let encoder = try MediaEncoder(codec: try find("libx264"), name: "libx264")
        var format = yuv420pFormat(source)
        format.width = width
        format.height = height
        encoder.applyVideo(format, frameRate: frameRate, globalHeader: globalHeader)
        let c = encoder.pointer
        c.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        c.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
        c.pointee.gop_size = 1
        c.pointee.keyint_min = 1
        c.pointee.max_b_frames = 0
        try encoder.open(options: [
            ("preset", preset), ("crf", "\(crf)"),
            ("x264-params", "keyint=1:min-keyint=1:scenecut=0"),
        ])
        return encoder
    }

    /// `source` as a yuv420p encoder sees it: swscale converts full-range yuvj* input to
    /// limited range, so the stream must say limited.
    private static func yuv420pFormat(_ source: VideoFormat) -> VideoFormat {
        var format = source
        if pixelFormatName(source.pixelFormat).hasPrefix("yuvj") { format.colorRange = AVCOL_RANGE_MPEG }
        return format
    }

    /// libx264 at the source's size and pixel aspect for an ordinary playable copy: x264's own
    /// GOP structure (key frames at most 250 frames apart, B-frames), yuv420p, and the source
    /// stream's `timeBase`, so frames keep their own (possibly variable) timing.
    static func x264(_ source: VideoFormat, frameRate: Rational, timeBase: Rational, crf: Int, preset: String,
                     globalHeader: Bool) throws(MediaError) -> MediaEncoder {
        let encoder = try MediaEncoder(codec: try find("libx264"), name: "libx264")
        encoder.applyVideo(yuv420pFormat(source), frameRate: frameRate, globalHeader: globalHeader)
        let c = encoder.pointer
        c.pointee.time_base = AVRational(num: timeBase.numerator, den: timeBase.denominator)
        c.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        c.pointee.sample_aspect_ratio = source.sampleAspectRatio
        try encoder.open(options: [("preset", preset), ("crf", "\(crf)")])
        return encoder
    }

    /// An audio encoder needs a rate and channels; some broken streams declare neither.
    private static func requireAudioParameters(_ format: AudioFormat, for name: String) throws(MediaError) {
        guard format.sampleRate > 0, format.channels > 0 else {
            throw .libav(operation: "opening the \(name) encoder", code: heaters_AVERROR(EINVAL),
                         message: "the audio stream declares no sample rate or channel count")
        }
    }

    /// libav's native AAC encoder (LC, 64 kb/s per channel) with the decoder's channels, at the
    /// source's sample rate when AAC has it, else 48 kHz (the converter resamples).
    static func aac(_ format: AudioFormat, layoutFrom decoder: MediaDecoder, globalHeader: Bool) throws(MediaError) -> MediaEncoder {
        try requireAudioParameters(format, for: "aac")
        let codec = try find("aac")
        let encoder = try MediaEncoder(codec: codec, name: "aac")
        let c = encoder.pointer
        var rate: Int32 = 48000
        if let rates = codec.pointee.supported_samplerates {
            var index = 0
            while rates[index] != 0 {
                if rates[index] == format.sampleRate { rate = format.sampleRate }
                index += 1
            }
        }
        c.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
        c.pointee.sample_rate = rate
        c.pointee.time_base = AVRational(num: 1, den: rate)
        c.pointee.bit_rate = 64_000 * Int64(format.channels)
        decoder.copyChannelLayout(into: &c.pointee.ch_layout)
        if globalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        try encoder.open(options: [])
        return encoder
    }

    /// FLAC with the decoder's rate and channels; 16-bit for 8/16-bit sources, else 24-bit.
    static func flac(_ format: AudioFormat, layoutFrom decoder: MediaDecoder, globalHeader: Bool) throws(MediaError) -> MediaEncoder {
        try requireAudioParameters(format, for: "flac")
        let encoder = try MediaEncoder(codec: try find("flac"), name: "flac")
        let c = encoder.pointer
        let narrow: [AVSampleFormat] = [AV_SAMPLE_FMT_U8, AV_SAMPLE_FMT_U8P, AV_SAMPLE_FMT_S16, AV_SAMPLE_FMT_S16P]
        if narrow.contains(format.sampleFormat) {
            c.pointee.sample_fmt = AV_SAMPLE_FMT_S16
        } else {
            c.pointee.sample_fmt = AV_SAMPLE_FMT_S32
            c.pointee.bits_per_raw_sample = (17...24).contains(format.bitsPerRawSample) ? format.bitsPerRawSample : 24
        }
        c.pointee.sample_rate = format.sampleRate
        c.pointee.time_base = AVRational(num: 1, den: format.sampleRate)
        decoder.copyChannelLayout(into: &c.pointee.ch_layout)
        if globalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        try encoder.open(options: [])
        return encoder
    }

    /// An audio converter producing frames this (audio) encoder accepts.
    func makeAudioConverter() throws(MediaError) -> AudioConverter {
        let variable = pointer.pointee.codec.pointee.capabilities & Int32(AV_CODEC_CAP_VARIABLE_FRAME_SIZE) != 0
        let size = (variable || pointer.pointee.frame_size <= 0) ? 4096 : pointer.pointee.frame_size
        return try AudioConverter(encoder: pointer, frameSize: size)
    }

    /// Sends `frame` with presentation time `pts` (in the encoder's time base; nil keeps the
    /// frame's own); the encoder picks the picture type itself. A nil frame starts draining.
    func send(_ frame: MediaFrame?, pts: Int64?) throws(MediaError) {
        guard let frame else {
            try MediaError.throwIfFail(avcodec_send_frame(pointer, nil), "flushing the \(name) encoder")
            return
        }
        let f = scratch.pointer
        av_frame_unref(f)
        try MediaError.throwIfFail(av_frame_ref(f, frame.pointer), "av_frame_ref")
        defer { av_frame_unref(f) }
        if let pts { f.pointee.pts = pts }
        f.pointee.pict_type = AV_PICTURE_TYPE_NONE
        try MediaError.throwIfFail(avcodec_send_frame(pointer, f), "encoding with \(name)")
    }

    /// Takes the next encoded packet; false when the encoder needs input or is drained.
    func receive(into packet: MediaPacket) throws(MediaError) -> Bool {
        let received = avcodec_receive_packet(pointer, packet.pointer)
        if received == heaters_AVERROR(EAGAIN) || received == heaters_AVERROR_EOF() { return false }
        try MediaError.throwIfFail(received, "encoding with \(name)")
        return true
    }

    fileprivate var context: UnsafeMutablePointer<AVCodecContext> { pointer }
}

extension MediaDecoder {
    /// Copies the decoder's channel layout, or the default layout for its channel count when
    /// the source does not say which channels it has.
    fileprivate func copyChannelLayout(into layout: inout AVChannelLayout) {
        let source = pointer.pointee.ch_layout
        if source.order == AV_CHANNEL_ORDER_UNSPEC {
            av_channel_layout_default(&layout, source.nb_channels)
        } else {
            _ = withUnsafePointer(to: source) { av_channel_layout_copy(&layout, $0) }
        }
    }
}

/// Owns an output `AVFormatContext` and its file.
final class OutputFile {
    private let pointer: UnsafeMutablePointer<AVFormatContext>
    private var encoders: [MediaEncoder] = []
    private var headerWritten = false
    private var finished = false
    let path: String

    init(path: String, format: String) throws(MediaError) {
        var context: UnsafeMutablePointer<AVFormatContext>?
        try MediaError.throwIfFail(avformat_alloc_output_context2(&context, nil, format, path),
                                   "avformat_alloc_output_context2(\(format))")
        guard let context else {
            throw .libav(operation: "avformat_alloc_output_context2(\(format))", code: heaters_AVERROR(ENOMEM),
                         message: MediaError.message(for: heaters_AVERROR(ENOMEM)))
        }
        self.pointer = context
        self.path = path
    }

    deinit {
        if pointer.pointee.pb != nil { avio_closep(&pointer.pointee.pb) }
        avformat_free_context(pointer)
    }

    /// Whether encoders for this container must put codec headers in extradata.
    var wantsGlobalHeader: Bool { pointer.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 }

    /// Adds a stream carrying `encoder`'s packets; returns its index.
    @discardableResult
    func addStream(for encoder: MediaEncoder) throws(MediaError) -> Int32 {
        guard let stream = avformat_new_stream(pointer, nil) else {
            throw .libav(operation: "avformat_new_stream", code: heaters_AVERROR(ENOMEM),
                         message: MediaError.message(for: heaters_AVERROR(ENOMEM)))
        }
        try MediaError.throwIfFail(avcodec_parameters_from_context(stream.pointee.codecpar, encoder.context),
                                   "avcodec_parameters_from_context")
        stream.pointee.time_base = encoder.context.pointee.time_base
        stream.pointee.avg_frame_rate = encoder.context.pointee.framerate
        stream.pointee.r_frame_rate = encoder.context.pointee.framerate
        encoders.append(encoder)
        return stream.pointee.index
    }

    /// Adds a stream that carries stream `index` of `input` unchanged (no re-encoding), with
    /// its side data (the display matrix, so rotation survives); throws when this container
    /// cannot hold the codec. Returns the new stream's index.
    @discardableResult
    func addStream(copying index: Int32, of input: InputFile) throws(MediaError) -> Int32 {
        let source = input.stream(index)
        let parameters = source.pointee.codecpar!
        let codecName = String(cString: avcodec_get_name(parameters.pointee.codec_id))
        guard avformat_query_codec(pointer.pointee.oformat, parameters.pointee.codec_id, FF_COMPLIANCE_NORMAL) == 1 else {
            throw .libav(operation: "copying the \(codecName) stream into \(path)", code: heaters_AVERROR(EINVAL),
                         message: "\(String(cString: pointer.pointee.oformat.pointee.name)) cannot hold \(codecName)")
        }
        guard let stream = avformat_new_stream(pointer, nil) else {
            throw .libav(operation: "avformat_new_stream", code: heaters_AVERROR(ENOMEM),
                         message: MediaError.message(for: heaters_AVERROR(ENOMEM)))
        }
        try MediaError.throwIfFail(avcodec_parameters_copy(stream.pointee.codecpar, parameters), "avcodec_parameters_copy")
        // A codec tag belongs to the container it came from; the muxer picks its own.
        stream.pointee.codecpar.pointee.codec_tag = 0
        stream.pointee.time_base = source.pointee.time_base
        stream.pointee.avg_frame_rate = source.pointee.avg_frame_rate
        stream.pointee.r_frame_rate = source.pointee.r_frame_rate
        stream.pointee.sample_aspect_ratio = source.pointee.sample_aspect_ratio
        stream.pointee.disposition = source.pointee.disposition
        try copySideData(from: source, to: stream)
        return stream.pointee.index
    }

    /// Gives output stream `index` the side data of stream `source` of `input` (the display
    /// matrix above all, so a re-encoded phone video still plays upright).
    func copySideData(of source: Int32, in input: InputFile, to index: Int32) throws(MediaError) {
        try copySideData(from: input.stream(source), to: pointer.pointee.streams[Int(index)]!)
    }

    private func copySideData(from source: UnsafeMutablePointer<AVStream>, to stream: UnsafeMutablePointer<AVStream>) throws(MediaError) {
        for item in 0..<Int(source.pointee.nb_side_data) {
            let data = source.pointee.side_data[item]
            guard let copy = av_stream_new_side_data(stream, data.type, data.size) else {
                throw .libav(operation: "av_stream_new_side_data", code: heaters_AVERROR(ENOMEM),
                             message: MediaError.message(for: heaters_AVERROR(ENOMEM)))
            }
            copy.update(from: data.data, count: data.size)
        }
    }

    /// Stream `index`'s time base; the muxer may change it when the header is written.
    func timeBase(stream index: Int32) -> Rational {
        let base = pointer.pointee.streams[Int(index)]!.pointee.time_base
        return Rational(base.num, base.den)
    }

    /// Writes a packet already in stream `index`'s time base (see `timeBase(stream:)`).
    func write(_ packet: MediaPacket, into index: Int32) throws(MediaError) {
        packet.pointer.pointee.stream_index = index
        packet.pointer.pointee.pos = -1
        // Takes ownership of the packet's data and leaves it blank.
        try MediaError.throwIfFail(av_interleaved_write_frame(pointer, packet.pointer), "writing \(path)")
    }

    /// Creates the file and writes the container header with muxer `options` (e.g. movflags).
    func writeHeader(options: [(String, String)] = []) throws(MediaError) {
        try MediaError.throwIfFail(avio_open(&pointer.pointee.pb, path, AVIO_FLAG_WRITE), "creating \(path)")
        var dictionary: OpaquePointer?
        defer { av_dict_free(&dictionary) }
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        try MediaError.throwIfFail(avformat_write_header(pointer, &dictionary), "writing the header of \(path)")
        if let unused = av_dict_get(dictionary, "", nil, AV_DICT_IGNORE_SUFFIX) {
            throw .libav(operation: "writing the header of \(path)", code: heaters_AVERROR(EINVAL),
                         message: "muxer option \(String(cString: unused.pointee.key)) not recognised")
        }
        headerWritten = true
    }

    /// Writes every packet `encoder` has ready into stream `index`.
    func drain(_ encoder: MediaEncoder, into index: Int32, using packet: MediaPacket) throws(MediaError) {
        let streamBase = pointer.pointee.streams[Int(index)]!.pointee.time_base
        while try encoder.receive(into: packet) {
            av_packet_rescale_ts(packet.pointer, encoder.context.pointee.time_base, streamBase)
            packet.pointer.pointee.stream_index = index
            // Takes ownership of the packet's data and leaves it blank.
            try MediaError.throwIfFail(av_interleaved_write_frame(pointer, packet.pointer), "writing \(path)")
        }
    }

    /// Writes the trailer (for MP4 with faststart, moves the index to the front) and closes.
    func finish() throws(MediaError) {
        guard headerWritten, !finished else { return }
        finished = true
        try MediaError.throwIfFail(av_write_trailer(pointer), "finishing \(path)")
        try MediaError.throwIfFail(avio_closep(&pointer.pointee.pb), "closing \(path)")
    }
}
