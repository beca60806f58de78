import Foundation
import Testing
@testable import Support

/// A private tmux server for one test: sessions run `heaters`, send-keys types, and
/// capture-pane reads the screen.
struct Tmux {
    let socket = "heaters-test-\(UUID().uuidString.prefix(8))"

    @discardableResult
    func run(_ arguments: [String]) throws -> HeatersCLI.Outcome {
        try HeatersCLI.runProgram(URL(fileURLWithPath: "/usr/bin/tmux"), ["-L", socket] + arguments)
    }

    /// Starts a session running heaters with `arguments`. The tmux server it forks keeps the
    /// client's stdout and stderr, so those go to /dev/null rather than to pipes that would
    /// never reach end-of-file.
    func start(_ session: String, columns: Int = 80, rows: Int = 24, environment: [String: String],
               _ arguments: [String]) async throws -> Int32? {
        var command = ["new-session", "-d", "-s", session, "-x", String(columns), "-y", String(rows)]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { command += ["-e", "\(key)=\(value)"] }
        // Several arguments after the options: tmux runs the program directly, not via a shell.
        command += [ProjectPaths.heatersBinary.path] + arguments
        return try await ProcessRunner.runDiscardingOutput(URL(fileURLWithPath: "/usr/bin/tmux"), ["-L", socket] + command).exitCode
    }

    func screen(_ session: String) throws -> String { try run(["capture-pane", "-p", "-t", session]).stdout }

    func keys(_ session: String, _ keys: String...) throws { try run(["send-keys", "-t", session] + keys) }

    /// Types text literally (no key names).
    func type(_ session: String, _ text: String) throws { try run(["send-keys", "-t", session, "-l", text]) }

    func resize(_ session: String, columns: Int, rows: Int) throws {
        try run(["resize-window", "-t", session, "-x", String(columns), "-y", String(rows)])
    }

    /// The pid of the program in the session's pane.
    func pid(_ session: String) throws -> Int32? {
        Int32(try run(["list-panes", "-t", session, "-F", "#{pane_pid}"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Polls the screen until `condition` holds (the station draws asynchronously).
    @discardableResult
    func waitFor(_ session: String, _ what: String, timeout: TimeInterval = 60, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = (try? screen(session)) ?? ""
            if condition(last) { return last }
            usleep(100_000)
        }
        Issue.record("timed out waiting for \(what); screen was:\n\(last)")
        return last
    }

    func isRunning(_ session: String) -> Bool { (try? run(["has-session", "-t", session]).status) == 0 }

    /// Waits for the session's program to end (tmux closes the session with it).
    func waitForExit(_ session: String, timeout: TimeInterval = 15) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning(session) && Date() < deadline { usleep(100_000) }
        return !isRunning(session)
    }

    func killServer() { _ = try? run(["kill-server"]) }

    /// The clip id on the selected queue row (marked ">").
    static func selectedClip(_ screen: String) -> Int64? {
        screen.split(separator: "\n").first { $0.hasPrefix(">") }.flatMap { line in
            line.dropFirst().split(separator: " ").first.flatMap { Int64($0) }
        }
    }
}
