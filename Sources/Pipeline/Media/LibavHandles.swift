#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFFmpeg

// The Swift owners of the libav handles the media code uses. They live in one file because
// demuxing and decoding hand packets and frames between them, and the raw pointers must not
// leave the file that owns them: other files see only these classes and Swift values.

/// Owns an `AVFormatContext` opened on one file, with stream info already read.
final class FormatContext {
    private let pointer: UnsafeMutablePointer<AVFormatContext>
    let path: String

    init(path: String) throws(MediaError) {
        var context: UnsafeMutablePointer<AVFormatContext>?
        let opened = avformat_open_input(&context, path, nil, nil)
        if opened == heaters_AVERROR(ENOENT) { throw .fileNotFound(path: path) }
        guard opened >= 0, let context else {
            throw .notMedia(path: path, reason: MediaError.message(for: opened))
        }
        let found = avformat_find_stream_info(context, nil)
        guard found >= 0 else {
            var doomed: UnsafeMutablePointer<AVFormatContext>? = context
            avformat_close_input(&doomed)
            throw .notMedia(path: path, reason: MediaError.message(for: found))
        }
        self.pointer = context
        self.path = path
    }

    deinit {
        var doomed: UnsafeMutablePointer<AVFormatContext>? = pointer
        avformat_close_input(&doomed)
    }

    /// libav's name of the container format.
    var formatName: String { String(cString: pointer.pointee.iformat.pointee.name) }

    /// The container's duration in seconds, when it declares one.
    var durationSeconds: Double? {
        let duration = pointer.pointee.duration
        guard duration != heaters_AV_NOPTS_VALUE() else { return nil }
        return Double(duration) / Double(AV_TIME_BASE)
    }

    /// The index of the stream libav would pick for this media type, if there is one.
    func bestStream(_ type: AVMediaType) -> Int32? {
        let index = av_find_best_stream(pointer, type, -1, -1, nil, 0)
        return index >= 0 ? index : nil
    }

    /// A Swift snapshot of one stream's parameters.
    func stream(at index: Int32) -> StreamSummary {
        let stream = pointer.pointee.streams[Int(index)]!
        let parameters = stream.pointee.codecpar.pointee
        var duration: Double?
        if stream.pointee.duration != heaters_AV_NOPTS_VALUE() {
            duration = Double(stream.pointee.duration) * av_q2d(stream.pointee.time_base)
        }
        var counterClockwise = 0.0
        let hasMatrix = heaters_stream_display_rotation(stream, &counterClockwise) == 1
        return StreamSummary(
            baseFrameRate: Rational(stream.pointee.r_frame_rate.num, stream.pointee.r_frame_rate.den),
            averageFrameRate: Rational(stream.pointee.avg_frame_rate.num, stream.pointee.avg_frame_rate.den),
            width: Int(parameters.width),
            height: Int(parameters.height),
            codecName: String(cString: avcodec_get_name(parameters.codec_id)),
            durationSeconds: duration,
            displayRotationCounterClockwise: hasMatrix ? counterClockwise : nil
        )
    }

    /// Reads the next packet of any stream into `packet`; false at end of file.
    func readPacket(into packet: Packet) throws(MediaError) -> Bool {
        packet.unref()
        let read = av_read_frame(pointer, packet.pointer)
        if read == heaters_AVERROR_EOF() { return false }
        try MediaError.throwIfFail(read, "av_read_frame(\(path))")
        return true
    }

    /// A decoder opened with the parameters of stream `index`.
    func makeDecoder(stream index: Int32) throws(MediaError) -> CodecContext {
        let parameters = pointer.pointee.streams[Int(index)]!.pointee.codecpar!
        return try CodecContext(parameters: parameters)
    }
}

/// Stream parameters copied out of libav, so callers never touch `AVStream`.
struct StreamSummary {
    var baseFrameRate: Rational
    var averageFrameRate: Rational
    var width: Int
    var height: Int
    var codecName: String
    var durationSeconds: Double?
    /// av_display_rotation_get's value; nil when the stream has no display matrix.
    var displayRotationCounterClockwise: Double?
}

/// Owns an opened `AVCodecContext` (decoder).
final class CodecContext {
    private let pointer: UnsafeMutablePointer<AVCodecContext>

    fileprivate init(parameters: UnsafePointer<AVCodecParameters>) throws(MediaError) {
        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
            let name = String(cString: avcodec_get_name(parameters.pointee.codec_id))
            throw .libav(operation: "avcodec_find_decoder(\(name))",
                         code: heaters_AVERROR(ENOSYS), message: "no decoder in this libavcodec")
        }
        guard let context = avcodec_alloc_context3(codec) else {
            throw .libav(operation: "avcodec_alloc_context3", code: heaters_AVERROR(ENOMEM),
                         message: MediaError.message(for: heaters_AVERROR(ENOMEM)))
        }
        // Assigned before the calls that can fail so deinit frees the context on every path.
        self.pointer = context
        try MediaError.throwIfFail(avcodec_parameters_to_context(context, parameters), "avcodec_parameters_to_context")
        context.pointee.thread_count = 0  // 0 lets libavcodec pick one thread per core
        try MediaError.throwIfFail(avcodec_open2(context, codec, nil), "avcodec_open2")
    }

    deinit {
        var doomed: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&doomed)
    }

    /// Feeds one packet, or nil to start draining the decoder at end of stream.
    func send(_ packet: Packet?) throws(MediaError) {
        try MediaError.throwIfFail(avcodec_send_packet(pointer, packet?.pointer), "avcodec_send_packet")
    }

    /// Takes the next decoded frame into `frame`; false when the decoder needs more input
    /// or is fully drained.
    func receive(into frame: Frame) throws(MediaError) -> Bool {
        let received = avcodec_receive_frame(pointer, frame.pointer)
        if received == heaters_AVERROR(EAGAIN) || received == heaters_AVERROR_EOF() { return false }
        try MediaError.throwIfFail(received, "avcodec_receive_frame")
        return true
    }
}

/// Owns an `AVPacket`.
final class Packet {
    fileprivate let pointer: UnsafeMutablePointer<AVPacket>

    init() {
        // av_packet_alloc fails only when malloc does; there is no recovering from that.
        guard let packet = av_packet_alloc() else { fatalError("av_packet_alloc: out of memory") }
        pointer = packet
    }

    deinit {
        var doomed: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&doomed)
    }

    var streamIndex: Int32 { pointer.pointee.stream_index }

    func unref() { av_packet_unref(pointer) }
}

/// Owns an `AVFrame`.
final class Frame {
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
}
