import Database
import Domain
import Foundation
import Queue
import Storage
import Support
import Vision

/// A clip's vectors under a set of models: each model's vectors of the clip's `multi` stills
/// (its stills of another strategy when it has no `multi` ones) averaged and L2-normalised.
/// The embed stage and `heaters embed` both go through here, so a clip filled in later gets
/// the vector the stage would have given it.
public enum ClipEmbedder {
    /// What is stored for one clip: the stills used, and one vector per model.
    public struct Vectors: Sendable {
        public var clipID: Int64
        public var stills: [String]
        public var byModel: [(model: EmbeddingModel, vector: [Float])]
    }

    /// Computes the clip's vectors under `models` (files into `folder`, which the caller owns).
    /// A model that cannot run, or whose name is registered with another dimension, is a
    /// permanent failure naming it; `progress` goes from 0 to 1.
    public static func vectors(clipID id: Int64, models: [EmbeddingModel], using catalogue: EmbeddingModels,
                               services: StageServices, folder: URL,
                               progress: (Double) -> Void = { _ in }) throws -> Vectors {
        let registered = Dictionary(try EmbeddingQueries.registered(services.database).map { ($0.name, $0.dimension) },
                                    uniquingKeysWith: { first, _ in first })
        for model in models {
            if let known = registered[model.name], known != model.dimension {
                throw PermanentFailure("embedding model \(model.name) is registered with dimension \(known), but is configured "
                                       + "with \(model.dimension): a model whose vectors change needs a new name")
            }
        }
        var stills = try EmbeddingQueries.keyframes(services.database, clipID: id, strategy: KeyframeStrategy.multi.name)
        if stills.isEmpty {
            stills = try ClipOutputQueries.artifacts(services.database, clipID: id).filter { $0.type == "keyframe" }
                .map { ($0.position, $0.key) }
        }
        guard !stills.isEmpty else { throw PermanentFailure("clip \(id) has no keyframes to embed") }
        var images: [[UInt8]] = []
        for (index, still) in stills.enumerated() {
            let key = try StorageKey(still.key)
            let file = try services.storage.readableFile(key: key, downloadingTo: folder.appendingPathComponent("\(index).jpg"))
            images.append(Array(try Data(contentsOf: file)))
            progress(Double(index + 1) / Double(stills.count * (models.count + 1)))
        }
        var byModel: [(model: EmbeddingModel, vector: [Float])] = []
        for (m, model) in models.enumerated() {
            var vectors: [[Float]] = []
            for (index, image) in images.enumerated() {
                do {
                    vectors.append(try catalogue.vector(model, jpeg: image))
                } catch {
                    throw PermanentFailure("clip \(id): model \(model.name) on keyframe \(stills[index].key): \(error)")
                }
            }
            byModel.append((model, VisualDescriptor.average(vectors)))
            progress(Double(m + 2) / Double(models.count + 1))
        }
        return Vectors(clipID: id, stills: stills.map(\.key), byModel: byModel)
    }

    /// Registers each model (its HNSW index made on first use). Outside the storing
    /// transaction: creating an index there would hold its lock for the whole job.
    public static func register(_ models: [EmbeddingModel], on db: PostgresConnection) throws {
        for model in models {
            try EmbeddingQueries.register(db, model: model.name, dimension: model.dimension, version: model.version,
                                          description: model.description)
        }
    }

    /// Stores the vectors (replacing any earlier ones of those models). With `requireEmbedded`
    /// (a fill-in beside the workers) only while the clip is a live embedded one: false, and
    /// nothing stored, when it was archived or re-embedded meanwhile.
    @discardableResult
    public static func store(_ vectors: Vectors, on tx: PostgresConnection, requireEmbedded: Bool = false) throws -> Bool {
        if requireEmbedded, try !EmbeddingQueries.lockIfEmbedded(tx, clipID: vectors.clipID) { return false }
        let metadata = try JSONText(encoding: ["keyframes": vectors.stills])
        for (model, vector) in vectors.byModel {
            try EmbeddingQueries.store(tx, clipID: vectors.clipID, model: model.name, vector: vector, metadata: metadata.text)
        }
        return true
    }
}
