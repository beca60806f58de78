import ArgumentParser
import Database
import Domain
import Foundation

/// `heaters clip list`.
struct ClipListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List live clips: sources oldest first, in frame order.")
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Only clips in this state, e.g. pending_review.", valueName: "state"),
            transform: { text in
                guard let state = ClipState(rawValue: text) else {
                    throw ValidationError("unknown clip state \"\(text)\"; valid: \(ClipState.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return state
            })
    var state: ClipState?
    @Option(help: ArgumentHelp("Only clips of this source.", valueName: "id")) var source: Int64?
    @Option(help: ArgumentHelp("Only clips with this tag.", valueName: "text")) var tag: String?
    @Option(help: "How many clips to list at most.") var limit = 100
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let context = try await ClipContext.open(global)
            let clips = try ClipQueries.list(context.db, state: state, sourceID: source, tag: tag, limit: limit)
            if json {
                print(try CommandOutput.json(clips))
                return
            }
            if clips.isEmpty { print("no clips match"); return }
            print(CommandOutput.table([["clip", "source", "frames", "seconds", "state", "tags"]] + clips.map(ClipText.row))
                .joined(separator: "\n"))
        }
    }
}
