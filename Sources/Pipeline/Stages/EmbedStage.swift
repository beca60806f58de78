import Foundation
import Queue

/// Embed: one vector per clip and model — the built-in visual descriptor (OpenCV; no model
/// file) and every ONNX model the configuration declares — each the average of the model's
/// vectors of the clip's `multi` keyframes, L2-normalised, stored under the model (registered
/// with its own HNSW index on first use) in the transaction that marks the clip embedded.
enum EmbedStage {
    static func work(_ context: StageContext) throws -> StageResult {
        let services = context.services
        let catalogue = services.settings.embeddingModels
        let folder = try context.freshScratchFolder("embed")
        defer { try? FileManager.default.removeItem(at: folder) }
        let vectors = try ClipEmbedder.vectors(clipID: context.job.subjectID, models: catalogue.all, using: catalogue,
                                               services: services, folder: folder, progress: context.progress)
        try ClipEmbedder.register(catalogue.all, on: services.database)
        let names = vectors.byModel.map { "\"\($0.model.name)\"" }.joined(separator: ", ")
        return StageResult(json: "{\"models\": [\(names)], \"keyframes\": \(vectors.stills.count)}") { tx in
            try ClipEmbedder.store(vectors, on: tx)
        }
    }
}
