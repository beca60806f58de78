import COpenCVShim

/// Mean absolute per-channel difference between two images in OpenCV's HSV space:
/// hue on OpenCV's 0…180 scale (red 0, green 60, blue 120), saturation and value 0…255.
/// Hue is compared as a plain number, not around the colour wheel (179 vs 1 counts as 178),
/// which is what scene-cut scoring with this feature expects.
public struct HSVDifference: Sendable, Hashable {
    public var hue: Double
    public var saturation: Double
    public var value: Double

    public init(hue: Double, saturation: Double, value: Double) {
        self.hue = hue
        self.saturation = saturation
        self.value = value
    }

    /// Compares two images of the same width, height and stride.
    public static func between(_ a: BGRImage, _ b: BGRImage) throws(VisionError) -> HSVDifference {
        guard a.width == b.width, a.height == b.height, a.stride == b.stride else {
            throw .mismatchedImages("\(a.width)x\(a.height)/\(a.stride) vs \(b.width)x\(b.height)/\(b.stride)")
        }
        for image in [a, b] where image.pixels.count < image.bytesRead {
            throw .bufferTooSmall(needed: image.bytesRead, actual: image.pixels.count)
        }
        var means = (0.0, 0.0, 0.0)
        try VisionError.throwIfFail("hcv_hsv_mean_abs_diff") { error, size in
            a.pixels.withUnsafeBufferPointer { pixelsA in
                b.pixels.withUnsafeBufferPointer { pixelsB in
                    withUnsafeMutableBytes(of: &means) { out in
                        hcv_hsv_mean_abs_diff(
                            pixelsA.baseAddress, pixelsB.baseAddress,
                            Int32(clamping: a.width), Int32(clamping: a.height), Int32(clamping: a.stride),
                            out.baseAddress!.assumingMemoryBound(to: Double.self), error, size)
                    }
                }
            }
        }
        return HSVDifference(hue: means.0, saturation: means.1, value: means.2)
    }
}
