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
