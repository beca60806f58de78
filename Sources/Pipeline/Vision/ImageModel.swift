import COpenCVShim
import Synchronization

/// An ONNX image-embedding model run by OpenCV's dnn module on the CPU: a JPEG in, a
/// unit-length vector of `spec.dimension` floats out. The preprocessing (resize, channel
/// order, mean and std) is described in `COpenCVImageModel.h`. Compare vectors with
/// `VisualDescriptor.cosineDistance`.
///
/// One instance may be shared between tasks: OpenCV's network is not thread-safe, so calls
/// are serialised (one image at a time per instance; make more instances for parallelism).
public final class ImageModel: Sendable {
    public let spec: ImageModelSpec
    /// The shim's handle; the lock is what serialises the calls.
    private let handle: Mutex<OpaquePointer>

    /// Loads the model and checks it with one forward pass on a grey image, so a model whose
    /// output does not have `spec.dimension` values, or that OpenCV cannot run, fails here
    /// rather than on the first real image.
    public init(_ spec: ImageModelSpec) throws(VisionError) {
        try spec.validate()
        let pointer = try Self.open(spec)
        let check = Result { () throws(VisionError) in
            try Self.call(pointer, spec, "hcv_image_model_embed_grey") { out, actual, error, size in
                hcv_image_model_embed_grey(pointer, out, actual, error, size)
            }
        }
        if case .failure(let failure) = check {
            hcv_image_model_free(pointer)
            // A network that loads but cannot run is as unusable as one that does not load.
            if case .opencv(_, let message) = failure { throw .modelUnreadable(path: spec.path, message: message) }
            throw failure
        }
        self.spec = spec
        self.handle = Mutex(pointer)
    }

    deinit {
        handle.withLock { hcv_image_model_free($0) }
    }

    /// The L2-normalised embedding of a JPEG image.
    public func embed(jpeg: [UInt8]) throws(VisionError) -> [Float] {
        guard !jpeg.isEmpty else { throw .invalidImage("empty image data") }
        let spec = self.spec
        let raw = try handle.withLock { (pointer: inout sending OpaquePointer) throws(VisionError) -> [Float] in
            let model = pointer
            return try Self.call(model, spec, "hcv_image_model_embed_jpeg") { out, actual, error, size in
                jpeg.withUnsafeBufferPointer { bytes in
                    hcv_image_model_embed_jpeg(model, bytes.baseAddress, bytes.count, out, actual, error, size)
                }
            }
        }
        guard raw.allSatisfy(\.isFinite) else {
            throw .opencv(operation: "hcv_image_model_embed_jpeg", message: "the model \(spec.path) returned non-finite values")
        }
        return UnitVector.normalised(raw)
    }

    /// Opens the network, turning the shim's statuses into the matching errors.
    private static func open(_ spec: ImageModelSpec) throws(VisionError) -> OpaquePointer {
        var config = hcv_image_model_config()
        config.input_width = Int32(spec.inputWidth)
        config.input_height = Int32(spec.inputHeight)
        config.mean = (spec.mean[0], spec.mean[1], spec.mean[2])
        config.std = (spec.std[0], spec.std[1], spec.std[2])
        config.rgb = spec.channelOrder == .rgb ? 1 : 0
        config.dimension = Int32(spec.dimension)
        var status: Int32 = 0
        var buffer = [CChar](repeating: 0, count: messageCapacity)
        let pointer = buffer.withUnsafeMutableBufferPointer { error in
            hcv_image_model_open(spec.path, &config, &status, error.baseAddress, error.count)
        }
        if let pointer { return pointer }
        let message = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        switch status {
        case HCV_IMAGE_MODEL_FILE_MISSING: throw .modelFileMissing(path: spec.path)
        case HCV_IMAGE_MODEL_UNREADABLE: throw .modelUnreadable(path: spec.path, message: message)
        case HCV_IMAGE_MODEL_BAD_INPUT: throw .invalidModelSpec(name: spec.name, problem: message)
        default: throw .opencv(operation: "hcv_image_model_open", message: message.isEmpty ? "status \(status)" : message)
        }
    }

    /// Calls an embedding function of the shim with an output buffer, the count it reports
    /// on a wrong dimension, and an error buffer.
    private static func call(
        _ model: OpaquePointer, _ spec: ImageModelSpec, _ operation: String,
        _ body: (_ out: UnsafeMutablePointer<Float>, _ actual: UnsafeMutablePointer<Int>,
                 _ error: UnsafeMutablePointer<CChar>, _ size: Int) -> Int32
    ) throws(VisionError) -> [Float] {
        var vector = [Float](repeating: 0, count: spec.dimension)
        var actual = 0
        var buffer = [CChar](repeating: 0, count: messageCapacity)
        let status = vector.withUnsafeMutableBufferPointer { out in
            buffer.withUnsafeMutableBufferPointer { body(out.baseAddress!, &actual, $0.baseAddress!, $0.count) }
        }
        guard status != 0 else { return vector }
        let message = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        switch status {
        case HCV_IMAGE_MODEL_WRONG_DIMENSION:
            throw .modelOutputMismatch(path: spec.path, actual: actual, expected: spec.dimension)
        case HCV_IMAGE_MODEL_BAD_INPUT: throw .invalidImage(message.isEmpty ? operation : message)
        default: throw .opencv(operation: operation, message: message.isEmpty ? "status \(status)" : message)
        }
    }

    /// Room for OpenCV's messages, which name the failing node and layer.
    private static let messageCapacity = 1024
}
