import ArgumentParser
import Config
import Database
import Foundation
import Pipeline
import Support

/// `heaters clip …`: the review engine from the command line, for scripting and bulk triage.
struct ClipCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clip",
        abstract: "List, inspect and decide clips: approve, skip, archive, group, merge, split, tag, undo.",
        discussion: """
            Frames are 0-based frames of the source's proxy; a clip is [start, end). The clip \
            before a clip is the live clip of the same source that ends where it starts.

            approve, skip, archive, group and tag apply at once; merge and split land an undo \
            window later (review.undo_seconds, default 60). Until then `heaters clip undo` \
            cancels them; after, it restores the original clips while the new ones are still \
            undecided. No later stage takes a decided clip before its window has passed. Every \
            decision and undo is in the log (`heaters clip log`). A refusal changes nothing, \
            says why, and exits with status 1.
            """,
        subcommands: [ClipListCommand.self, ClipShowCommand.self, ClipApproveCommand.self, ClipSkipCommand.self,
                      ClipArchiveCommand.self, ClipGroupCommand.self, ClipMergeCommand.self, ClipSplitCommand.self,
                      ClipTagCommand.self, ClipUntagCommand.self, ClipUndoCommand.self, ClipLogCommand.self,
                      ClipClaimCommand.self, ClipReleaseCommand.self])
}

/// Who decides, and how the decision is checked.
struct ReviewerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The reviewer the log records (default: your login name).", valueName: "name"))
    var reviewer: String?

    @Option(help: ArgumentHelp("The session (from `heaters clip claim`) whose claims this decision may use.", valueName: "id"))
    var session: String?

    var name: String { reviewer.flatMap { $0.isEmpty ? nil : $0 } ?? LoginName.current }
}

/// Options of the commands that decide.
struct DecisionOptions: ParsableArguments {
    @Flag(help: "Decide even clips another live reviewer session holds.") var force = false

    @Option(help: ArgumentHelp("A request id (UUID): the same request applied twice changes nothing.", valueName: "uuid"),
            transform: { text in
                guard let id = UUID(uuidString: text) else { throw ValidationError("--request takes a UUID, not \"\(text)\"") }
                return id
            })
    var request: UUID?

    @Flag(help: "Print JSON.") var json = false
}

/// The database and the review service, as every `clip` command opens them.
struct ClipContext {
    let config: HeatersConfig
    let db: PostgresConnection
    let service: ReviewService

    static func open(_ global: GlobalOptions, _ reviewer: ReviewerOptions) async throws -> ClipContext {
        try await open(global, reviewer: reviewer.name, session: reviewer.session)
    }

    /// For the commands that only read: the reviewer is the login name.
    static func open(_ global: GlobalOptions, reviewer: String = LoginName.current, session: String? = nil) async throws -> ClipContext {
        let config = try global.load()
        let database = try DatabaseServer.forConfig(config)
        let db = try await database.prepareConnection()
        return ClipContext(config: config, db: db, service: ReviewService(
            database: db, reviewer: reviewer, sessionID: session, undoSeconds: config.undoSeconds))
    }
}

/// Clip ids as arguments: positive integers.
func parseClipID(_ text: String) throws -> Int64 {
    guard let id = Int64(text), id > 0 else { throw ValidationError("a clip id is a positive number, not \"\(text)\"") }
    return id
}
