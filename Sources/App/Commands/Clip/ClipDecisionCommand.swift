import ArgumentParser
import Database
import Domain
import Foundation
import Pipeline

/// The shared run of every deciding command: apply, print the receipt, exit 1 on a refusal.
protocol ClipDecisionCommand: AsyncParsableCommand {
    var global: GlobalOptions { get }
    var reviewer: ReviewerOptions { get }
    var options: DecisionOptions { get }
    /// The versions the reviewer saw, if given.
    var seen: [Int64: Int] { get }
    /// The decisions to apply (a split at `+N` reads the clip's start through `context`).
    func decisions(in context: ClipContext) throws -> [ReviewDecision]
}

extension ClipDecisionCommand {
    var seen: [Int64: Int] { [:] }

    func run() async throws {
        try await reportingErrors {
            let context = try await ClipContext.open(global, reviewer)
            let decisions = try decisions(in: context)
            let receipt: ReviewReceipt
            do {
                receipt = try context.service.decide(decisions, seen: seen, requestID: options.request, force: options.force)
            } catch let error as ReviewError {
                throw CommandFailure(error.message)
            }
            if options.json {
                print(try CommandOutput.json(receipt))
                return
            }
            for line in ClipText.receipt(receipt, decisions: decisions) { print(line) }
        }
    }
}

/// `--version V` for the single-clip decisions: refuse when the clip changed since.
struct SeenVersion: ParsableArguments {
    @Option(name: .customLong("version"),
            help: ArgumentHelp("The clip version you looked at (clip show prints it): refused if it changed since.",
                               valueName: "n"))
    var version: Int?
}

/// What approve, skip and archive take: clip ids (several: one batch) and the options.
struct StateDecisionArguments: ParsableArguments {
    @OptionGroup var global: GlobalOptions
    @OptionGroup var reviewer: ReviewerOptions
    @OptionGroup var options: DecisionOptions
    @OptionGroup var seenVersion: SeenVersion
    @Argument(help: "Clip ids.", transform: parseClipID) var ids: [Int64]
}

/// approve, skip and archive: one decision per clip id.
protocol StateDecisionCommand: ClipDecisionCommand {
    var arguments: StateDecisionArguments { get }
    static func decision(_ clip: Int64) -> ReviewDecision
}

extension StateDecisionCommand {
    var global: GlobalOptions { arguments.global }
    var reviewer: ReviewerOptions { arguments.reviewer }
    var options: DecisionOptions { arguments.options }
    var seen: [Int64: Int] { ClipText.seen(arguments.ids, arguments.seenVersion.version) }
    func decisions(in context: ClipContext) throws -> [ReviewDecision] {
        if arguments.seenVersion.version != nil, arguments.ids.count != 1 {
            throw ValidationError("--version names the version of one clip: give one clip id with it")
        }
        return arguments.ids.map(Self.decision)
    }
}

struct ClipApproveCommand: StateDecisionCommand {
    static let configuration = CommandConfiguration(commandName: "approve",
                                                    abstract: "Approve pending clips (several ids: one batch, undone together).")
    @OptionGroup var arguments: StateDecisionArguments
    static func decision(_ clip: Int64) -> ReviewDecision { .approve(clip: clip) }
}

struct ClipSkipCommand: StateDecisionCommand {
    static let configuration = CommandConfiguration(commandName: "skip",
                                                    abstract: "Skip pending clips: reviewed, not wanted (terminal).")
    @OptionGroup var arguments: StateDecisionArguments
    static func decision(_ clip: Int64) -> ReviewDecision { .skip(clip: clip) }
}

struct ClipArchiveCommand: StateDecisionCommand {
    static let configuration = CommandConfiguration(commandName: "archive",
                                                    abstract: "Archive pending clips: their files, keyframes and embeddings go.")
    @OptionGroup var arguments: StateDecisionArguments
    static func decision(_ clip: Int64) -> ReviewDecision { .archive(clip: clip) }
}

struct ClipGroupCommand: ClipDecisionCommand {
    static let configuration = CommandConfiguration(
        commandName: "group", abstract: "Group a pending clip with another clip of its source: both approved, linked.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var reviewer: ReviewerOptions
    @OptionGroup var options: DecisionOptions
    @Argument(help: "The clip to group.", transform: parseClipID) var id: Int64
    @Option(name: .customLong("with"), help: "The clip to group it with (pending or approved).", transform: parseClipID)
    var other: Int64
    func decisions(in context: ClipContext) throws -> [ReviewDecision] { [.group(clip: id, with: other)] }
}

struct ClipMergeCommand: ClipDecisionCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Merge a pending clip with the adjacent one: one new clip, after the undo window.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var reviewer: ReviewerOptions
    @OptionGroup var options: DecisionOptions
    @Argument(help: "A clip.", transform: parseClipID) var id: Int64
    @Option(name: .customLong("with"), help: "The clip right before or after it.", transform: parseClipID) var other: Int64
    func decisions(in context: ClipContext) throws -> [ReviewDecision] { [.merge(clip: id, with: other)] }
}

struct ClipSplitCommand: ClipDecisionCommand {
    static let configuration = CommandConfiguration(
        commandName: "split", abstract: "Split a pending clip at a frame: two new clips, after the undo window.",
        discussion: "--at F takes a source frame; --at +N counts from the clip's start. Frame F begins the second clip.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var reviewer: ReviewerOptions
    @OptionGroup var options: DecisionOptions
    @Argument(help: "The clip.", transform: parseClipID) var id: Int64
    @Option(help: ArgumentHelp("The frame that begins the second clip: a source frame, or +N from the clip's start.",
                               valueName: "frame"))
    var at: String

    func decisions(in context: ClipContext) throws -> [ReviewDecision] {
        if at.hasPrefix("+") {
            guard let offset = Int(at.dropFirst()), offset >= 0 else {
                throw ValidationError("--at takes a frame number or +N, not \"\(at)\"")
            }
            guard let clip = try ClipQueries.clip(context.db, id: id) else {
                throw CommandFailure("there is no clip \(id) (heaters clip list shows the live ones)")
            }
            return [.split(clip: id, at: clip.startFrame + offset)]
        }
        guard let frame = Int(at) else { throw ValidationError("--at takes a frame number or +N, not \"\(at)\"") }
        return [.split(clip: id, at: frame)]
    }
}
