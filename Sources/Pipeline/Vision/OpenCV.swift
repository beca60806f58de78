import COpenCVShim

/// Facts about the linked OpenCV library.
public enum OpenCV {
    /// OpenCV's version string, e.g. "4.6.0" (what `doctor` reports).
    public static let version: String = {
        var buffer = [CChar](repeating: 0, count: 64)
        return buffer.withUnsafeMutableBufferPointer { raw in
            hcv_version(raw.baseAddress, raw.count)
            return String(cString: raw.baseAddress!)
        }
    }()
}
