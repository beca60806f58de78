import CCurl
import CFFmpeg
import CLibPQ
import COpenCVShim

/// The versions of the C libraries the pipeline is linked against, read from the libraries
/// themselves (so a version here proves the library loaded), for `heaters doctor`.
public enum LinkedLibraries {
    public static func versions() -> [(name: String, version: String)] {
        [
            ("libpq", dotted(Int(PQlibVersion()), base: 10000)),
            ("libavformat", avVersion(avformat_version())),
            ("libavcodec", avVersion(avcodec_version())),
            ("libavutil", avVersion(avutil_version())),
            ("libswscale", avVersion(swscale_version())),
            ("libswresample", avVersion(swresample_version())),
            ("libcurl", String(cString: heaters_curl_version_info().pointee.version)),
            ("OpenCV", openCVVersion()),
        ]
    }

    /// libcurl's features heaters relies on (SigV4 signing needs 7.75+).
    public static var curlSupportsSigV4: Bool {
        heaters_curl_version_info().pointee.version_num >= 0x074B00
    }

    private static func avVersion(_ v: UInt32) -> String { "\(v >> 16).\((v >> 8) & 0xff).\(v & 0xff)" }

    private static func dotted(_ v: Int, base: Int) -> String { "\(v / base).\(v % base)" }

    private static func openCVVersion() -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        hcv_version(&buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
