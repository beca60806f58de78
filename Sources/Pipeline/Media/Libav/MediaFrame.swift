#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFFmpeg

// Libav/ holds the Swift owners of the libav handles the media code uses (demux, decode,
// convert, encode, mux): one class per C handle, which frees it in deinit, so an error thrown
// halfway through a pass leaks nothing. Their pointers are internal to the Media module:
// frames and packets travel between owners, and no pointer is part of Media's public API.

/// Owns an `AVFrame` (video or audio).
final class MediaFrame {
    let pointer: UnsafeMutablePointer<AVFrame>

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

    var width: Int32 { pointer.pointee.width }
    var height: Int32 { pointer.pointee.height }

    /// A video frame's pixel aspect, when the decoder gave one (FFV1 and H.264 carry it in
    /// the stream, whatever the container says).
    var sampleAspectRatio: AVRational? {
        let aspect = pointer.pointee.sample_aspect_ratio
        return aspect.num > 0 && aspect.den > 0 ? aspect : nil
    }

    /// Every plane in the frame's own pixel format, packed one after the other with no
    /// padding (what ffmpeg's rawvideo output holds).
    func copyPlanes() throws(MediaError) -> [UInt8] {
        let format = AVPixelFormat(pointer.pointee.format)
        let size = try MediaError.throwIfFail(
            av_image_get_buffer_size(format, pointer.pointee.width, pointer.pointee.height, 1), "av_image_get_buffer_size")
        var out = [UInt8](repeating: 0, count: Int(size))
        let frame = pointer
        let written = withUnsafePointer(to: &frame.pointee.data) { data in
            withUnsafePointer(to: &frame.pointee.linesize) { lines in
                data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { planes in
                    lines.withMemoryRebound(to: Int32.self, capacity: 8) { strides in
                        av_image_copy_to_buffer(&out, size, planes, strides, format, frame.pointee.width,
                                                frame.pointee.height, 1)
                    }
                }
            }
        }
        try MediaError.throwIfFail(written, "av_image_copy_to_buffer")
        return out
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
