import COpenCVShim

/// The built-in visual descriptor for clip similarity: colour, layout and edge statistics of
/// an image as a unit-length vector of `dimension` floats, computed by the OpenCV shim with
/// no model file. Compare vectors with `cosineDistance`; a clip's vector is the `average` of
/// its keyframes'. The layout of the values is documented in `COpenCVVisualDescriptor.h`:
/// colour histogram 0..<128, layout grid 128..<192, edges 192..<240, 240..<256 reserved (0).
/// Any change to the values is a new model and needs a new `modelName`.
public enum VisualDescriptor {
    /// Values in one vector.
    public static let dimension = Int(HCV_VISUAL_DESCRIPTOR_DIMENSION)
    /// The name vectors are stored under (with `dimension`) in the embedding tables.
    public static let modelName = "heaters-descriptor-v1"

    /// The descriptor of a JPEG image.
    public static func describe(jpeg: [UInt8]) throws(VisionError) -> [Float] {
        guard !jpeg.isEmpty else { throw .invalidImage("empty image data") }
        return try run("hcv_visual_descriptor_jpeg") { out, error, size in
            jpeg.withUnsafeBufferPointer { bytes in
                hcv_visual_descriptor_jpeg(bytes.baseAddress, bytes.count, out, error, size)
            }
        }
    }

    /// The descriptor of tightly packed BGR24 pixels (`width` × `height` × 3 bytes, no row padding).
    public static func describe(bgr: [UInt8], width: Int, height: Int) throws(VisionError) -> [Float] {
        guard width > 0, height > 0, width <= Int(Int32.max) / 3, height <= Int(Int32.max) else {
            throw .invalidImage("image size \(width)x\(height)")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        let (needed, overflow3) = pixels.multipliedReportingOverflow(by: 3)
        guard !overflow, !overflow3 else { throw .invalidImage("image size \(width)x\(height)") }
        guard bgr.count == needed else {
            throw .invalidImage("\(width)x\(height) BGR needs \(needed) bytes, got \(bgr.count)")
        }
        return try run("hcv_visual_descriptor_bgr") { out, error, size in
            bgr.withUnsafeBufferPointer { bytes in
                hcv_visual_descriptor_bgr(bytes.baseAddress, Int32(width), Int32(height), Int32(width * 3),
                                          out, error, size)
            }
        }
    }

    /// Mean of several vectors, L2-normalised (the clip's vector from its keyframes). Empty
    /// for no vectors; all zeros if they cancel out. The vectors must have one length.
    public static func average(_ vectors: [[Float]]) -> [Float] {
        guard let first = vectors.first else { return [] }
        var sum = [Double](repeating: 0, count: first.count)
        for vector in vectors {
            precondition(vector.count == first.count, "averaging vectors of lengths \(first.count) and \(vector.count)")
            for (i, value) in vector.enumerated() { sum[i] += Double(value) }
        }
        return UnitVector.normalised(sum)
    }

    /// 1 − cosine similarity: 0 for the same direction, 1 for orthogonal, 2 for opposite;
    /// 1 when either vector is all zeros. The vectors must have one length.
    public static func cosineDistance(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "comparing vectors of lengths \(a.count) and \(b.count)")
        var dot = 0.0, normA = 0.0, normB = 0.0
        for i in a.indices {
            let x = Double(a[i]), y = Double(b[i])
            dot += x * y
            normA += x * x
            normB += y * y
        }
        guard normA > 0, normB > 0 else { return 1 }
        let similarity = dot / (normA.squareRoot() * normB.squareRoot())
        return Float(1 - min(max(similarity, -1), 1))
    }

    /// Calls a descriptor function of the shim with an output buffer and an error buffer; its
    /// bad-input status becomes `.invalidImage`, any other failure `.opencv`.
    private static func run(
        _ operation: String,
        _ call: (_ out: UnsafeMutablePointer<Float>, _ error: UnsafeMutablePointer<CChar>, _ size: Int) -> Int32
    ) throws(VisionError) -> [Float] {
        var vector = [Float](repeating: 0, count: dimension)
        var buffer = [CChar](repeating: 0, count: 512)
        let status = vector.withUnsafeMutableBufferPointer { out in
            buffer.withUnsafeMutableBufferPointer { call(out.baseAddress!, $0.baseAddress!, $0.count) }
        }
        guard status != 0 else { return vector }
        let message = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        if status == HCV_VISUAL_DESCRIPTOR_BAD_INPUT { throw .invalidImage(message.isEmpty ? operation : message) }
        throw .opencv(operation: operation, message: message.isEmpty ? "status \(status)" : message)
    }
}
