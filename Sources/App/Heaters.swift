import ArgumentParser
import Foundation

/// The `heaters` executable: the review station by default, subcommands for the rest.
@main
struct Heaters: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heaters",
        abstract: "Review automatically detected scenes of long videos at a terminal; export and embed the approved clips.",
        discussion: """
            With no subcommand, opens the review station. Settings come from \
            $XDG_CONFIG_HOME/heaters/config.toml, overridden by the environment (DATABASE_URL, \
            HEATERS_DATA_DIR, HEATERS_STORAGE, AWS_*), overridden by flags.
            """,
        subcommands: [ReviewCommand.self, SubmitCommand.self, SourcesCommand.self, ClipCommand.self, SimilarCommand.self, TimelineCommand.self, EmbedCommand.self, KeysCommand.self, DetectCommand.self, StatusCommand.self, JobsCommand.self, CancelCommand.self, RetryCommand.self, DBCommand.self, DoctorCommand.self, BenchCommand.self],
        defaultSubcommand: ReviewCommand.self
    )
}
