import Database
import Domain
import Foundation
import Queue
import Storage
import Support
import Vision

/// Embed: one vector per clip with the built-in visual descriptor (OpenCV; no model file),
/// the average of the vectors of the clip's `multi` keyframes (its stills of another strategy
/// when it has no `multi` ones), L2-normalised, stored under the model — registered with its
/// own HNSW index on first use — in the transaction that marks the clip embedded.
enum EmbedStage {
    static func work(_ context: StageContext) throws -> StageResult {
        let services = context.services
        let id = context.job.subjectID
        var stills = try EmbeddingQueries.keyframes(services.database, clipID: id, strategy: KeyframeStrategy.multi.name)
        if stills.isEmpty {
            stills = try ClipOutputQueries.artifacts(services.database, clipID: id).filter { $0.type == "keyframe" }
                .map { ($0.position, $0.key) }
        }
        guard !stills.isEmpty else { throw PermanentFailure("clip \(id) has no keyframes to embed") }
        let folder = try context.freshScratchFolder("embed")
        defer { try? FileManager.default.removeItem(at: folder) }
        var vectors: [[Float]] = []
        for (index, still) in stills.enumerated() {
            let key = try StorageKey(still.key)
            let file = try services.storage.readableFile(key: key, downloadingTo: folder.appendingPathComponent("\(index).jpg"))
            do {
                vectors.append(try VisualDescriptor.describe(jpeg: Array(try Data(contentsOf: file))))
            } catch let error as VisionError {
                throw PermanentFailure("keyframe \(still.key) of clip \(id) cannot be described: \(error)")
            }
            context.progress(Double(index + 1) / Double(stills.count + 1))
        }
        let vector = VisualDescriptor.average(vectors)
        let model = VisualDescriptor.modelName
        try EmbeddingQueries.register(services.database, model: model, dimension: VisualDescriptor.dimension, version: "1",
                                      description: "built-in OpenCV visual descriptor (colour, layout, edges)")
        let metadata = try JSONText(encoding: ["keyframes": stills.map(\.key)])
        return StageResult(json: "{\"model\": \"\(model)\", \"keyframes\": \(stills.count)}") { tx in
            try EmbeddingQueries.store(tx, clipID: id, model: model, vector: vector, metadata: metadata.text)
        }
    }
}
