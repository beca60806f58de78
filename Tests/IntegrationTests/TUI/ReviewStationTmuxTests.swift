@testable import Database
import Foundation
@testable import Support
import Testing

/// The review station in a real terminal: tmux runs `heaters`, send-keys types, and
/// capture-pane reads the screen.
@Suite(.timeLimit(.minutes(5))) struct ReviewStationTmuxTests {
    struct Tmux {
        let socket = "heaters-test-\(UUID().uuidString.prefix(8))"
        let session = "review"

        @discardableResult
        func run(_ arguments: [String]) throws -> HeatersCLI.Outcome {
            try HeatersCLI.runProgram(URL(fileURLWithPath: "/usr/bin/tmux"), ["-L", socket] + arguments)
        }

        /// Starts the session. The tmux server it forks keeps the client's stdout and stderr,
        /// so those go to /dev/null rather than to pipes that would never reach end-of-file.
        func start(_ arguments: [String]) async throws -> Int32? {
            try await ProcessRunner.runDiscardingOutput(URL(fileURLWithPath: "/usr/bin/tmux"), ["-L", socket] + arguments).exitCode
        }

        func screen() throws -> String { try run(["capture-pane", "-p", "-t", session]).stdout }

        /// Polls the screen until `condition` holds (the TUI draws asynchronously).
        func waitFor(_ what: String, timeout: TimeInterval = 30, _ condition: (String) -> Bool) throws -> String {
            let deadline = Date().addingTimeInterval(timeout)
            var last = ""
            while Date() < deadline {
                last = (try? screen()) ?? ""
                if condition(last) { return last }
                usleep(100_000)
            }
            Issue.record("timed out waiting for \(what); screen was:\n\(last)")
            return last
        }

        /// The clip id on the selected line (the one marked ">").
        static func selectedClip(_ screen: String) -> String? {
            screen.split(separator: "\n").first { $0.hasPrefix(">") }?.split(separator: " ").dropFirst().first.map(String.init)
        }

        /// The clip ids listed, in screen order.
        static func listedClips(_ screen: String) -> [String] {
            screen.split(separator: "\n").compactMap { line in
                let fields = line.split(separator: " ")
                guard let id = fields.first(where: { $0 != ">" }), Int(id) != nil, line.contains(" f ") else { return nil }
                return String(id)
            }
        }

        var isRunning: Bool { (try? run(["has-session", "-t", session]).status) == 0 }
    }

    @Test func theQueueIsListedAndKeysMoveAndQuit() async throws {
        let dir = try ProjectPaths.freshDirectory("tui")
        defer { HeatersCLI.stopAndRemove(dir) }
        #expect(try HeatersCLI.run(["db", "migrate"], dataDirectory: dir).status == 0)
        let server = EmbeddedPostgres(dataDirectory: dir, binaries: try TestDatabase.binaries)
        let db = try PostgresConnection(conninfo: try server.conninfo())
        let source = try Rows.source(db, title: "Interview 3", frameCount: 2000)
        let first = try Rows.clip(db, source: source, frames: 0..<141)
        let second = try Rows.clip(db, source: source, frames: 141..<200)
        try Rows.clip(db, source: source, frames: 200..<300, state: "review_approved")  // not pending: not listed

        let tmux = Tmux()
        defer { _ = try? tmux.run(["kill-server"]) }
        var command = ["new-session", "-d", "-s", tmux.session, "-x", "100", "-y", "30"]
        for (key, value) in HeatersCLI.environment(dataDirectory: dir, extra: ["TERM": "xterm-256color", "LANG": "C.UTF-8"])
        where key.hasPrefix("HEATERS_") || key.hasPrefix("XDG_") || key == "LANG" || key == "PATH" {
            command += ["-e", "\(key)=\(value)"]
        }
        // Several arguments after the options: tmux runs the program directly, not via a shell.
        command += [ProjectPaths.heatersBinary.path, "review"]
        #expect(try await tmux.start(command) == 0)

        let screen = try tmux.waitFor("the queue") { $0.contains("2 clips pending review") }
        #expect(screen.contains("heaters · review queue"))
        #expect(Tmux.selectedClip(screen) == "\(first)", "first clip selected:\n\(screen)")
        #expect(Tmux.listedClips(screen) == ["\(first)", "\(second)"])
        #expect(screen.contains("141 f"))
        #expect(screen.contains("Interview 3"))
        #expect(!screen.contains("100 f"), "an approved clip is not in the queue")

        try tmux.run(["send-keys", "-t", tmux.session, "j"])
        _ = try tmux.waitFor("the selection to move") { Tmux.selectedClip($0) == "\(second)" }

        try tmux.run(["send-keys", "-t", tmux.session, "q"])
        let deadline = Date().addingTimeInterval(10)
        while tmux.isRunning && Date() < deadline { usleep(100_000) }
        #expect(!tmux.isRunning, "heaters did not quit on q")
    }
}
