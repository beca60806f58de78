import ArgumentParser
import Database
import Foundation
import Storage

/// `heaters clip show ID`.
struct ClipShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "One clip: cut points, state, version, tags, group (members and their files), lineage, decisions, file, keyframes, embeddings.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The clip id.", transform: parseClipID) var id: Int64
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let context = try await ClipContext.open(global)
            guard let clip = try ClipQueries.clip(context.db, id: id) else {
                throw CommandFailure("there is no clip \(id) (heaters clip list shows the live ones)")
            }
            let storage = try ObjectStores.open(context.config)
            let location = { (key: String?) -> String? in key.flatMap { try? StorageKey($0) }.map { storage.location(of: $0) } }
            let group = try ClipQueries.groupMembers(context.db, of: id).compactMap { member -> ClipText.Member? in
                guard let row = try ClipQueries.clip(context.db, id: member) else { return nil }
                let file = row.isVirtual ? nil : row.clipKey
                return ClipText.Member(clip: member, state: row.state, file: file, location: location(file))
            }
            let detail = ClipText.Detail(
                clip: clip,
                group: group,
                parents: try ClipQueries.parents(context.db, of: id),
                children: try ClipQueries.children(context.db, of: id),
                replacedBy: clip.retiredBy == nil ? [] : try ReviewClipQueries.replacements(context.db, of: id),
                claimedBy: try ReviewSessionQueries.heldByOthers(context.db, clips: [id], session: nil).first?.reviewer,
                decisions: try ReviewActionQueries.log(context.db, clip: id, limit: 100).map(ClipText.LoggedAction.init),
                location: location(clip.isVirtual ? nil : clip.clipKey),
                keyframes: try ClipOutputQueries.artifacts(context.db, clipID: id).filter { $0.type == "keyframe" }
                    .map { ClipText.Still(strategy: $0.strategy, position: $0.position, key: $0.key) },
                embeddings: try EmbeddingQueries.models(context.db, clipID: id))
            if json {
                print(try CommandOutput.json(detail))
            } else {
                for line in ClipText.detail(detail) { print(line) }
            }
        }
    }
}
