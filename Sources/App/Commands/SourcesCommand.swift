import ArgumentParser
import Database
import Foundation
import Storage

/// `heaters sources`: every source video with its state, error, length and file locations.
struct SourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "List source videos: state, error, frames, frame rate, and where their files are.",
        discussion: "Locations are local paths or s3:// URLs, depending on the configured storage.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Show at most this many, newest first.") var limit = 500

    struct Row: Encodable {
        var source: SourceVideoQueries.Listed
        var original: String?
        var goldMaster: String?
        var proxy: String?
    }

    func run() async throws {
        try await reportingErrors {
            let config = try global.load()
            let database = try DatabaseServer.forConfig(config)
            let db = try await database.prepareConnection()
            let store = try ObjectStores.open(config)
            func locate(_ key: String?) -> String? { key.flatMap { try? StorageKey($0) }.map { store.location(of: $0) } }
            let rows = try SourceVideoQueries.list(db, limit: limit).map {
                Row(source: $0, original: locate($0.originalKey), goldMaster: locate($0.goldMasterKey), proxy: locate($0.proxyKey))
            }
            if json {
                print(try CommandOutput.json(rows))
                return
            }
            if rows.isEmpty { print("no sources yet: heaters submit URL|PATH adds one"); return }
            for row in rows {
                let s = row.source
                var line = "\(s.id)  \(s.state)  \(CommandOutput.visible(s.title))"
                if let frames = s.frameCount, let fps = s.fps { line += "  \(frames) frames @ \(String(format: "%.3f", fps)) fps" }
                else if let fps = s.fps, let duration = s.durationSeconds { line += "  \(String(format: "%.1f", duration)) s @ \(String(format: "%.3f", fps)) fps" }
                print(line)
                if let error = s.error { print("    error: \(CommandOutput.visible(error))") }
                for (label, location) in [("original", row.original), ("gold master", row.goldMaster), ("proxy", row.proxy)] {
                    if let location { print("    \(label): \(location)") }
                }
            }
        }
    }
}
