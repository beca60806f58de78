import CFFmpeg

/// The versions of the linked libav libraries, read from the libraries themselves (so a
/// version proves the library loaded), for `heaters doctor`.
public enum LibavVersions {
    public static func all() -> [(name: String, version: String)] {
        [("libavformat", dotted(avformat_version())), ("libavcodec", dotted(avcodec_version())),
         ("libavutil", dotted(avutil_version())), ("libswscale", dotted(swscale_version())),
         ("libswresample", dotted(swresample_version()))]
    }

    private static func dotted(_ v: UInt32) -> String { "\(v >> 16).\((v >> 8) & 0xff).\(v & 0xff)" }
}
