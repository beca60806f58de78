import ArgumentParser
import Database
import Foundation
import Pipeline
import Queue
import Storage
import Support

/// `heaters embed --model M [--all]`: vectors under a model for clips embedded before it was
/// configured (or, with --all, again for every embedded clip), with the embed stage's own code.
struct EmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Give embedded clips vectors under a model added since (the built-in descriptor or one in [embeddings.models]).",
        discussion: """
            New clips get every configured model's vector in the embed stage; this fills in the clips \
            embedded before. It runs in this process beside any workers; a clip archived meanwhile is left alone. \
            Exit status 1 when any clip failed (each is listed with the reason).
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("The model, as named in [embeddings.models] (or heaters-descriptor-v1).", valueName: "name"))
    var model: String
    @Flag(help: "Every embedded clip, not only those without a vector under the model.") var all = false
    @Flag(help: "Print JSON.") var json = false

    struct Report: Encodable {
        var model: String
        var embedded: [Int64]
        var skipped: [Int64]
        var failed: [Failure]
        struct Failure: Encodable { var clip: Int64; var error: String }
    }

    func run() async throws {
        try await reportingErrors {
            let context = try await ClipContext.open(global)
            let settings = try StageSettings.from(context.config)
            let catalogue = settings.embeddingModels
            guard let chosen = catalogue.named(model) else {
                throw CommandFailure("there is no embedding model \"\(model)\" in the configuration; configured: "
                    + catalogue.all.map(\.name).joined(separator: ", ") + " (declare one under [embeddings.models.NAME])")
            }
            let storage = try ObjectStores.open(context.config)
            let scratch = try TemporaryFiles.forThisProcess(dataDirectory: context.config.dataDirectory)
            defer { scratch.remove() }
            let services = StageServices(database: context.db, storage: storage, scratch: scratch.directory, tools: nil,
                                         settings: settings)
            let clips = try EmbeddingQueries.clipsToFill(context.db, model: chosen.name, all: all)
            var report = Report(model: chosen.name, embedded: [], skipped: [], failed: [])
            let showProgress = !json && isatty(STDERR_FILENO) == 1
            if !clips.isEmpty { try ClipEmbedder.register([chosen], on: context.db) }
            for (index, clip) in clips.enumerated() {
                if showProgress {
                    FileHandle.standardError.write(Data("\rembedding clip \(clip) (\(index + 1) of \(clips.count))…\u{1B}[K".utf8))
                }
                let folder = scratch.directory.appendingPathComponent("embed-\(clip)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: folder) }
                do {
                    let vectors = try ClipEmbedder.vectors(clipID: clip, models: [chosen], using: catalogue, services: services,
                                                           folder: folder)
                    let stored = try context.db.transaction { tx in try ClipEmbedder.store(vectors, on: tx, requireEmbedded: true) }
                    if stored { report.embedded.append(clip) } else { report.skipped.append(clip) }
                } catch let failure as PermanentFailure {
                    report.failed.append(.init(clip: clip, error: failure.description))
                }
            }
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            if json {
                print(try CommandOutput.json(report))
            } else {
                print("\(chosen.name): \(report.embedded.count) clip\(report.embedded.count == 1 ? "" : "s") embedded"
                      + (report.skipped.isEmpty ? "" : ", \(report.skipped.count) no longer embedded (left alone)")
                      + (report.failed.isEmpty ? "" : ", \(report.failed.count) failed")
                      + (clips.isEmpty ? " (every embedded clip has one\(all ? "" : "; --all makes them again"))" : ""))
                for failure in report.failed { print("  clip \(failure.clip): \(failure.error)") }
            }
            if !report.failed.isEmpty { throw ExitCode.failure }
        }
    }
}
