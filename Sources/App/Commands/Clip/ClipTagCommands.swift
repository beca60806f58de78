import ArgumentParser
import Domain

struct ClipTagCommand: ClipDecisionCommand {
    static let configuration = CommandConfiguration(commandName: "tag",
                                                    abstract: "Tag clips (free text, for batch work; several ids: one batch).")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var reviewer: ReviewerOptions
    @OptionGroup var options: DecisionOptions
    @Argument(help: "Clip ids.", transform: parseClipID) var ids: [Int64]
    @Option(help: ArgumentHelp("The tag.", valueName: "text")) var tag: String
    func decisions(in context: ClipContext) throws -> [ReviewDecision] { ids.map { .tag(clip: $0, tag: tag) } }
}

struct ClipUntagCommand: ClipDecisionCommand {
    static let configuration = CommandConfiguration(commandName: "untag", abstract: "Remove a tag from clips.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var reviewer: ReviewerOptions
    @OptionGroup var options: DecisionOptions
    @Argument(help: "Clip ids.", transform: parseClipID) var ids: [Int64]
    @Option(help: ArgumentHelp("The tag.", valueName: "text")) var tag: String
    func decisions(in context: ClipContext) throws -> [ReviewDecision] { ids.map { .untag(clip: $0, tag: tag) } }
}
