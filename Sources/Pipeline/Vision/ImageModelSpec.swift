/// What an ONNX image-embedding model needs to be run: where it is, how to prepare an image
/// for it, and how many values it returns. The numbers come from the model's card (for
/// example ImageNet-trained models: 224 × 224, RGB, mean 0.485 0.456 0.406, std 0.229 0.224
/// 0.225). `ImageModel` refuses a spec that `validate` rejects before OpenCV sees it.
public struct ImageModelSpec: Sendable, Equatable {
    /// The order of the colour planes the network takes.
    public enum ChannelOrder: String, Sendable, Equatable, CaseIterable {
        case rgb, bgr
    }

    /// The name vectors are stored under (with `dimension`) in the embedding tables.
    public var name: String
    /// The ONNX file.
    public var path: String
    /// The size every image is resized to (aspect ratio not kept), in pixels.
    public var inputWidth: Int
    public var inputHeight: Int
    /// Per-channel mean and standard deviation subtracted from and divided into the pixels,
    /// in RGB order and 0…1 units (a 0–255 value divided by 255), whatever `channelOrder` is.
    public var mean: [Float]
    public var std: [Float]
    public var channelOrder: ChannelOrder
    /// Values the network outputs per image.
    public var dimension: Int

    /// The largest input side accepted: a larger one is a typo, not a model.
    public static let maximumInputSide = 4096
    /// The most dimensions pgvector's HNSW index takes for a `vector` column, so the most a
    /// model's vectors may have to be searchable.
    public static let maximumIndexedDimension = 2000
    /// The most dimensions pgvector's `vector` type stores at all.
    public static let maximumStoredDimension = 16000

    public init(name: String, path: String, inputWidth: Int, inputHeight: Int, mean: [Float], std: [Float],
                channelOrder: ChannelOrder, dimension: Int) {
        self.name = name
        self.path = path
        self.inputWidth = inputWidth
        self.inputHeight = inputHeight
        self.mean = mean
        self.std = std
        self.channelOrder = channelOrder
        self.dimension = dimension
    }

    /// Throws `.invalidModelSpec` naming the first problem found.
    public func validate() throws(VisionError) {
        if let problem { throw .invalidModelSpec(name: name, problem: problem) }
    }

    /// The first thing wrong with the spec, or nil.
    var problem: String? {
        if name.isEmpty { return "the model name is empty" }
        if path.isEmpty { return "the model path is empty" }
        let side = 1...Self.maximumInputSide
        if !side.contains(inputWidth) || !side.contains(inputHeight) {
            return "input size \(inputWidth)x\(inputHeight): each side must be 1…\(Self.maximumInputSide) pixels"
        }
        if mean.count != 3 { return "mean needs 3 values (R, G, B), got \(mean.count)" }
        if !mean.allSatisfy({ $0.isFinite && 0...1 ~= $0 }) {
            return "mean \(mean) is outside 0…1 (give it in 0…1 units: a 0–255 value divided by 255)"
        }
        if std.count != 3 { return "std needs 3 values (R, G, B), got \(std.count)" }
        if !std.allSatisfy({ $0.isFinite && $0 > 0 }) { return "std \(std) must be 3 positive numbers" }
        if dimension < 1 { return "dimension \(dimension) must be at least 1" }
        if dimension > Self.maximumStoredDimension {
            return "dimension \(dimension) exceeds \(Self.maximumStoredDimension), the most pgvector's vector type stores"
        }
        if dimension > Self.maximumIndexedDimension {
            return "dimension \(dimension) exceeds \(Self.maximumIndexedDimension), the most pgvector's HNSW index takes for a vector column"
        }
        return nil
    }
}
