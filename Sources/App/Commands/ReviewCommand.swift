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
            // ncurses' initscr exits the process on an unknown TERM; say what to do instead.
            let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
            guard !term.isEmpty, TerminalLibraries.colors(forTerminal: term) != nil else {
                throw CommandFailure("terminfo has no entry for TERM=\"\(term)\": set TERM=xterm-256color, or apt install ncurses-term")
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
