import ArgumentParser
import Database
import Foundation

/// `heaters similar CLIP_ID`: the nearest clips by cosine distance through the model's HNSW index.
struct SimilarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "List the clips most like one clip (cosine distance of their embeddings, through the model's HNSW index).",
        discussion: "The clip must be embedded (state embedded, or heaters embed). Archived and retired clips are never listed.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The clip id.", transform: parseClipID) var id: Int64
    @Option(help: "How many clips to list (1–1000).") var limit = 10
    @Option(help: ArgumentHelp("The embedding model (default: [embeddings] model, else the built-in descriptor).",
                               valueName: "name"))
    var model: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            guard (1...1000).contains(limit) else { throw CommandFailure("--limit must be 1–1000, not \(limit)") }
            let context = try await ClipContext.open(global)
            let model = self.model ?? context.config.embeddingModel
            guard try ClipQueries.clip(context.db, id: id) != nil else {
                throw CommandFailure("there is no clip \(id) (heaters clip list shows the live ones)")
            }
            guard try EmbeddingQueries.registered(context.db).contains(where: { $0.name == model }) else {
                throw CommandFailure("there is no embedding model \"\(model)\"; registered: "
                    + (try EmbeddingQueries.registered(context.db).map(\.name).joined(separator: ", ")))
            }
            guard try EmbeddingQueries.models(context.db, clipID: id).contains(model) else {
                throw CommandFailure("clip \(id) has no \(model) embedding yet: it is embedded after export and keyframes "
                    + "(heaters clip show \(id) gives its state; heaters embed --model \(model) fills in older clips)")
            }
            let neighbours = try EmbeddingQueries.similar(context.db, clipID: id, model: model, limit: limit)
            if json {
                print(try CommandOutput.json(neighbours))
                return
            }
            if neighbours.isEmpty { print("no other clip has a \(model) embedding"); return }
            var rows = [["clip", "distance", "source", "frames", "state"]]
            for neighbour in neighbours {
                let clip = try ClipQueries.clip(context.db, id: neighbour.clipID)
                rows.append([String(neighbour.clipID), String(format: "%.4f", neighbour.distance),
                             clip.map { String($0.sourceID) } ?? "", clip.map { "[\($0.startFrame), \($0.endFrame))" } ?? "",
                             clip?.state ?? ""])
            }
            print(CommandOutput.table(rows).joined(separator: "\n"))
        }
    }
}
