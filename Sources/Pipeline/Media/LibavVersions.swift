import CFFmpeg

/// The versions of the libav libraries, read from the libraries themselves (so a version
/// proves the library loaded), for `heaters doctor`.
public enum LibavVersions {
    /// Why libav* cannot be loaded (it is opened on the first media call, not at start-up:
    /// Sources/CFFmpeg/libav_loader.c), or nil when it can.
    public static var loadFailure: String? { heaters_libav_load_failure().map { String(cString: $0) } }

    /// What to do about a `loadFailure`.
    public static let fix = HEATERS_LIBAV_FIX

    /// Empty when the libraries cannot be loaded (see `loadFailure`).
    public static func all() -> [(name: String, version: String)] {
        guard loadFailure == nil else { return [] }
        return [("libavformat", dotted(avformat_version())), ("libavcodec", dotted(avcodec_version())),
                ("libavutil", dotted(avutil_version())), ("libswscale", dotted(swscale_version())),
                ("libswresample", dotted(swresample_version()))]
    }

    private static func dotted(_ v: UInt32) -> String { "\(v >> 16).\((v >> 8) & 0xff).\(v & 0xff)" }
}
