import ArgumentParser
import Foundation
import Pipeline

/// `heaters clip undo [ACTION_ID]`.
struct ClipUndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo", abstract: "Undo a decision (default: your newest one) with the rest of its batch.",
        discussion: """
            A merge or split that has not landed is cancelled; one that landed is reverted while \
            its new clips are still undecided. Refused, naming the clip and who changed it, when \
            something it touched changed since.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var reviewer: ReviewerOptions
    @Argument(help: "The action id (heaters clip log lists them).") var action: Int64?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let context = try await ClipContext.open(global, reviewer)
            let receipt: UndoReceipt
            do {
                receipt = try context.service.undo(action)
            } catch let error as ReviewError {
                throw CommandFailure(error.message)
            }
            if json {
                print(try CommandOutput.json(receipt))
            } else {
                print(ClipText.undo(receipt))
            }
        }
    }
}
