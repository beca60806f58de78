import ArgumentParser
import Database
import Foundation

/// `heaters clip log`.
struct ClipLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "The review log, newest first.")
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Only this reviewer's actions.", valueName: "name")) var reviewer: String?
    @Option(help: "How many actions to list at most.") var limit = 50
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let context = try await ClipContext.open(global)
            let rows = try ReviewActionQueries.log(context.db, reviewer: reviewer, limit: limit)
            if json {
                print(try CommandOutput.json(rows.map(ClipText.LoggedAction.init)))
                return
            }
            if rows.isEmpty { print("no review actions yet"); return }
            for line in ClipText.log(rows) { print(line) }
        }
    }
}
