@testable import Database
import Foundation

/// A data dir with its own embedded cluster, a generated source (four 2-second shots: clips of
/// 50 frames), and review stations in tmux on it.
struct StationFixture {
    let queue: QueueFixture
    let tmux = Tmux()
    var db: PostgresConnection { queue.db }
    var dir: URL { queue.dir }

    /// `video` makes the source in the folder given (default: four hard-cut shots).
    init(_ label: String, processed: Bool = true, video: ((URL) throws -> URL)? = nil) async throws {
        queue = try await QueueFixture(label)
        if processed {
            try submit(video: video)
            let workers = ["--headless", "--until-idle", "--queues", "io=1,media=2,review=0,default=0"]
            guard queue.waitForExit(try HeatersCLI.launch(workers, dataDirectory: dir), timeout: 240) == 0 else {
                throw FixtureError("the source was not processed")
            }
        }
    }

    func submit(video make: ((URL) throws -> URL)? = nil) throws {
        let file = dir.appendingPathComponent("shots-\(UUID().uuidString.prefix(4)).mp4")
        let video = try make?(file) ?? SceneFixtures.hardCuts(at: file, count: 4, seconds: 2)
        let outcome = try HeatersCLI.run(["submit", "--title", "Interview 3", video.path], dataDirectory: dir)
        guard outcome.status == 0 else { throw FixtureError("submit failed: \(outcome.output)") }
    }

    /// Opens a station as `reviewer` in tmux session `session`.
    func open(_ session: String, reviewer: String = "alice", columns: Int = 80, rows: Int = 24, window: Double = 60) async throws {
        let environment = HeatersCLI.environment(dataDirectory: dir, extra: [
            "TERM": "xterm-256color", "LANG": "C.UTF-8", "USER": reviewer, "HEATERS_UNDO_SECONDS": String(window)])
            .filter { $0.key.hasPrefix("HEATERS_") || $0.key.hasPrefix("XDG_") || ["LANG", "PATH", "TERM", "USER"].contains($0.key) }
        guard try await tmux.start(session, columns: columns, rows: rows, environment: environment, ["review"]) == 0 else {
            throw FixtureError("tmux did not start")
        }
    }

    /// The live clips: (id, start, end, state), in frame order.
    func clips() throws -> [(id: Int64, start: Int, end: Int, state: String)] {
        try db.query("SELECT id, start_frame, end_frame, state FROM clips WHERE retired_at IS NULL ORDER BY start_frame").map {
            (try $0.decode("id"), try $0.decode("start_frame"), try $0.decode("end_frame"), try $0.decode("state"))
        }
    }

    func state(of clip: Int64) throws -> String? {
        try db.query("SELECT state FROM clips WHERE id = $1", [clip]).first?.decode("state")
    }

    func count(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws -> Int { try queue.count(sql, parameters) }

    /// Polls until `condition` holds on the database.
    @discardableResult
    func waitUntil(timeout: TimeInterval = 45, _ condition: () throws -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? condition()) == true { return true }
            usleep(100_000)
        }
        return false
    }

    func cleanUp() {
        tmux.killServer()
        queue.cleanUp()
    }
}
