/// What can go wrong handing images to OpenCV.
public enum VisionError: Error, Equatable, CustomStringConvertible {
    /// Two images that must share a geometry do not.
    case mismatchedImages(String)
    /// An image's pixel buffer is shorter than its width, height and stride promise;
    /// caught in Swift because OpenCV would read past the end of it.
    case bufferTooSmall(needed: Int, actual: Int)
    /// The input is not an image that can be read: empty, not a JPEG, undecodable, or a
    /// geometry that does not match its bytes.
    case invalidImage(String)
    /// The OpenCV shim reported a failure (its own check or a caught C++ exception).
    case opencv(operation: String, message: String)
    /// An image model's spec was refused before OpenCV saw it (`ImageModelSpec.validate`).
    case invalidModelSpec(name: String, problem: String)
    /// There is no file at an image model's path.
    case modelFileMissing(path: String)
    /// OpenCV cannot read or run an image model: not ONNX, truncated, or using an operator (or
    /// an operator version of a newer opset) that OpenCV's importer does not support. The
    /// message is OpenCV's, naming the node and layer.
    case modelUnreadable(path: String, message: String)
    /// An image model returns `actual` values per image where its spec says `expected`.
    case modelOutputMismatch(path: String, actual: Int, expected: Int)

    public var description: String {
        switch self {
        case .mismatchedImages(let detail): "images differ: \(detail)"
        case .bufferTooSmall(let needed, let actual): "pixel buffer has \(actual) bytes, needs \(needed)"
        case .invalidImage(let detail): "invalid image: \(detail)"
        case .opencv(let operation, let message): "\(operation) failed: \(message)"
        case .invalidModelSpec(let name, let problem): "image model \"\(name)\": \(problem)"
        case .modelFileMissing(let path):
            "image model file not found: \(path) (check the model's path in the configuration)"
        case .modelUnreadable(let path, let message):
            "OpenCV \(OpenCV.version) cannot read the image model \(path): \(message) (it must be a complete "
                + "ONNX file using operators OpenCV's dnn importer supports; re-exporting the model at a lower "
                + "opset, such as 13, often helps)"
        case .modelOutputMismatch(let path, let actual, let expected):
            "the image model \(path) outputs \(actual) values per image but its configuration says "
                + "dimension \(expected): set the dimension to \(actual), or point the path at the model with \(expected)"
        }
    }

    /// Calls an `hcv_*` function that returns 0 or -1 plus a message in an error buffer,
    /// and turns -1 into `.opencv` with that message.
    static func throwIfFail(
        _ operation: String, _ call: (_ error: UnsafeMutablePointer<CChar>, _ size: Int) -> Int32
    ) throws(VisionError) {
        var buffer = [CChar](repeating: 0, count: 512)
        let status = buffer.withUnsafeMutableBufferPointer { call($0.baseAddress!, $0.count) }
        guard status != 0 else { return }
        let message = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        throw .opencv(operation: operation, message: message.isEmpty ? "status \(status)" : message)
    }
}
