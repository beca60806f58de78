/// An 8-bit BGR image in one byte buffer, the layout libswscale's BGR24 output and OpenCV's
/// `CV_8UC3` share. Rows are `stride` bytes apart (stride ≥ width × 3 when valid).
public struct BGRImage: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var stride: Int
    public var pixels: [UInt8]

    /// Wraps existing pixels as they are; geometry is checked where the image is used.
    public init(width: Int, height: Int, stride: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.stride = stride
        self.pixels = pixels
    }

    /// A tightly packed image filled with one colour.
    public init(width: Int, height: Int, blue: UInt8, green: UInt8, red: UInt8) {
        let count = max(width, 0) * max(height, 0)
        self.init(width: width, height: height, stride: width * 3,
                  pixels: (0..<count).flatMap { _ in [blue, green, red] })
    }

    /// Bytes OpenCV reads for this geometry: every row but the last in full, then one row's
    /// pixels. Zero for an empty or negative geometry, which the shim rejects before reading.
    var bytesRead: Int { height > 0 && width > 0 ? stride * (height - 1) + width * 3 : 0 }
}
