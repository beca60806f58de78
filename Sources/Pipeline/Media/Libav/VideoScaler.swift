#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFFmpeg

/// Owns a swscale context converting video frames to one fixed size and pixel format.
/// The source geometry is taken from each frame, so a mid-stream size change is handled.
final class VideoScaler {
    private var context: OpaquePointer?
    let width: Int32
    let height: Int32
    let pixelFormat: AVPixelFormat
    private let flags: Int32
    /// When set, each frame is converted from its own matrix and range (as tagged; untagged
    /// is BT.601, and limited range unless a yuvj format) to this matrix at `pixelFormat`'s
    /// range (full for yuvj formats, else limited), and the output is tagged so. Nil keeps
    /// swscale's defaults: the matrix is left alone and the frame's tags are not read.
    /// (swscale fixes an unscaled conversion between equal ranges at setup, so a full-range
    /// tagged yuv420p frame into yuv420p of its size stays full range.)
    var outputMatrix: AVColorSpace?

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
        if let outputMatrix { convertColor(context, from: src, to: outputMatrix) }
        let dst = destination.pointer
        av_frame_unref(dst)
        dst.pointee.width = width
        dst.pointee.height = height
        dst.pointee.format = pixelFormat.rawValue
        try MediaError.throwIfFail(sws_scale_frame(context, dst, src), "sws_scale_frame")
        dst.pointee.color_primaries = src.pointee.color_primaries
        dst.pointee.color_trc = src.pointee.color_trc
        dst.pointee.colorspace = src.pointee.colorspace
        if let outputMatrix {
            dst.pointee.colorspace = outputMatrix
            dst.pointee.color_range = fullRangeOutput ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG
        }
    }

    private var fullRangeOutput: Bool { pixelFormatName(pixelFormat).hasPrefix("yuvj") }

    /// Tells `context` the source frame's matrix and range and the wanted ones; swscale goes
    /// through RGB when two YUV formats differ in matrix. Its result is ignored: swscale
    /// reports -1 for a YUV-to-YUV range change with one matrix, which it applies all the same.
    private func convertColor(_ context: OpaquePointer, from source: UnsafeMutablePointer<AVFrame>, to matrix: AVColorSpace) {
        func table(_ matrix: AVColorSpace) -> UnsafePointer<Int32>? {
            let known: [AVColorSpace] = [AVCOL_SPC_BT709, AVCOL_SPC_FCC, AVCOL_SPC_BT470BG, AVCOL_SPC_SMPTE170M,
                                         AVCOL_SPC_SMPTE240M, AVCOL_SPC_BT2020_NCL, AVCOL_SPC_BT2020_CL]
            return sws_getCoefficients(known.contains(matrix) ? Int32(matrix.rawValue) : SWS_CS_DEFAULT)
        }
        let format = AVPixelFormat(rawValue: source.pointee.format)
        let fullSource = source.pointee.color_range == AVCOL_RANGE_JPEG || pixelFormatName(format).hasPrefix("yuvj")
        _ = sws_setColorspaceDetails(context, table(source.pointee.colorspace), fullSource ? 1 : 0,
                                     table(matrix), fullRangeOutput ? 1 : 0, 0, 1 << 16, 1 << 16)
    }
}

func pixelFormatName(_ format: AVPixelFormat) -> String {
    guard let name = av_get_pix_fmt_name(format) else { return "unknown pixel format" }
    return String(cString: name)
}
