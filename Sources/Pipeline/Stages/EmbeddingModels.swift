import Foundation
import Synchronization
import Vision

/// One model clips get vectors under: the built-in visual descriptor, or an ONNX image
/// encoder the configuration declares. It registers itself (name, dimension, version, its own
/// HNSW index) the first time a vector is stored under it.
public struct EmbeddingModel: Sendable, Equatable {
    public enum Backend: Sendable, Equatable {
        case builtIn
        case onnx(ImageModelSpec)
    }

    public var name: String
    public var dimension: Int
    public var version: String
    public var description: String
    public var backend: Backend

    public init(name: String, dimension: Int, version: String, description: String, backend: Backend) {
        self.name = name
        self.dimension = dimension
        self.version = version
        self.description = description
        self.backend = backend
    }

    /// The built-in descriptor (OpenCV colour, layout and edge statistics; no model file).
    public static let builtIn = EmbeddingModel(
        name: VisualDescriptor.modelName, dimension: VisualDescriptor.dimension, version: "1",
        description: "built-in OpenCV visual descriptor (colour, layout, edges)", backend: .builtIn)

    /// An ONNX model from its spec.
    public static func onnx(_ spec: ImageModelSpec, version: String, description: String?) -> EmbeddingModel {
        EmbeddingModel(name: spec.name, dimension: spec.dimension, version: version,
                       description: description ?? "ONNX image model \(URL(fileURLWithPath: spec.path).lastPathComponent)",
                       backend: .onnx(spec))
    }
}

/// The models the embed stage computes, the built-in one first, with the ONNX networks loaded
/// once per process (a large encoder takes seconds to load) and shared by the workers. A model
/// that fails to load is tried again by the next clip, so a fixed file is picked up without a
/// restart; each clip it fails ends `embedding_failed` with the reason.
public final class EmbeddingModels: Sendable {
    public let all: [EmbeddingModel]
    private let loaded = Mutex<[String: ImageModel]>([:])

    public init(_ models: [EmbeddingModel] = [.builtIn]) {
        all = models
    }

    public func named(_ name: String) -> EmbeddingModel? { all.first { $0.name == name } }

    /// The unit vector of one still under `model`.
    public func vector(_ model: EmbeddingModel, jpeg: [UInt8]) throws(VisionError) -> [Float] {
        switch model.backend {
        case .builtIn:
            return try VisualDescriptor.describe(jpeg: jpeg)
        case .onnx(let spec):
            return try network(spec).embed(jpeg: jpeg)
        }
    }

    private func network(_ spec: ImageModelSpec) throws(VisionError) -> ImageModel {
        if let model = loaded.withLock({ $0[spec.name] }), model.spec == spec { return model }
        let model = try ImageModel(spec)
        loaded.withLock { $0[spec.name] = model }
        return model
    }
}
