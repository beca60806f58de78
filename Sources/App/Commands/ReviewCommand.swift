import ArgumentParser
import Foundation
import Pipeline
import TUI

/// The default command: the review station.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Open the review station (the default command).")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await reportingErrors {
            guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
                throw CommandFailure("the review station needs a terminal (stdin and stdout must be a tty)")
            }
            let database = try Database.forConfig(try global.load())
            try await database.prepare()
            let connection = try database.connect()
            // ncurses belongs to the main thread; the station blocks it until the reviewer quits.
            try await MainActor.run {
                try ReviewStation(loadQueue: { try ReviewQueue.pending(connection) }).run()
            }
        }
    }
}
