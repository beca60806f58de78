@testable import Database
@testable import Domain
import Foundation
import Testing

/// `heaters status`, `heaters jobs` and `heaters retry`: the built binary against its own
/// embedded database, with fixture rows inserted through SQL.
@Suite(.timeLimit(.minutes(12))) struct StatusCommandTests {
    // MARK: - What the JSON output is read back as

    struct Counts: Decodable {
        var total: Int
        var byState: [String: Int]
    }

    struct JobCounts: Decodable {
        var total: Int
        var byState: [String: Int]
        var byStage: [String: Counts]
    }

    struct FailedItem: Decodable {
        var id: Int64
        var state: String?
        var title: String?
        var sourceTitle: String?
        var errorMessage: String?
        var stage: String?
        var attempt: Int?
        var maxAttempts: Int?
        var errorCount: Int?
        var lastError: String?
        var lastErrorAttempt: Int?
    }

    struct Failed: Decodable {
        var sourceVideos: [FailedItem]
        var clips: [FailedItem]
        var jobs: [FailedItem]
    }

    struct Status: Decodable {
        var sourceVideos: Counts
        var clips: Counts
        var jobs: JobCounts
        var failed: Failed
        var recovering: [Recovering]
    }

    struct Recovering: Decodable {
        var id: Int64
        var losses: Int
        var outages: Int
        var maxOutages: Int
        var lastError: String?
    }

    struct ListedJob: Decodable {
        var id: Int64
        var stage: String
        var state: String
        var attempt: Int
        var maxAttempts: Int
        var subjectType: String
        var subjectID: Int64
        var lastError: String?
    }

    struct Listing: Decodable {
        var jobs: [ListedJob]
        var matching: Int
    }

    struct Retried: Decodable {
        var retried: [Int64]
    }

    // MARK: - Helpers

    /// Runs heaters and decodes its stdout as `T`, recording the output when it is not JSON.
    static func json<T: Decodable>(_ type: T.Type, _ arguments: [String], dir: URL) throws -> T {
        let outcome = try HeatersCLI.run(arguments, dataDirectory: dir)
        #expect(outcome.status == 0, "\(arguments): \(outcome.output)")
        do {
            return try JSONDecoder().decode(T.self, from: Data(outcome.stdout.utf8))
        } catch {
            Issue.record("\(arguments) printed no \(T.self): \(outcome.output)")
            throw error
        }
    }

    /// A migrated data dir (the binary migrates on start) and a connection to its cluster.
    static func database(_ dir: URL) throws -> PostgresConnection {
        let migrate = try HeatersCLI.run(["db", "migrate"], dataDirectory: dir)
        #expect(migrate.status == 0, "\(migrate.output)")
        let server = EmbeddedPostgres(dataDirectory: dir, binaries: try TestDatabase.binaries)
        return try PostgresConnection(conninfo: try server.conninfo())
    }

    /// Inserts a job directly, in any state, with the given error history (a JSON array).
    @discardableResult
    static func job(_ db: PostgresConnection, stage: String, subjectType: String = "source_video", subject: Int64,
                    state: JobState, attempt: Int = 0, maxAttempts: Int = 3, errors: String = "[]") throws -> Int64 {
        try db.query("""
            INSERT INTO jobs (stage, queue, subject_type, subject_id, state, attempt, max_attempts, errors,
                              attempted_by, lease_expires_at, finished_at)
            VALUES ($1, 'default', $2, $3, $4, $5, $6, $7::jsonb,
                    CASE WHEN $4 = 'running' THEN 'test-worker' END,
                    CASE WHEN $4 = 'running' THEN now() + interval '10 minutes' END,
                    CASE WHEN $4 IN ('completed', 'discarded', 'cancelled') THEN now() END)
            RETURNING id
            """, [stage, subjectType, subject, state.rawValue, attempt, maxAttempts, errors]).first!.decode("id")
    }

    static let twoErrors = """
        [{"attempt": 1, "at": "2026-01-01T10:00:00Z", "worker": "host/1/io-1", "error": "HTTP Error 503 (first)"},
         {"attempt": 2, "at": "2026-01-01T10:00:30Z", "worker": "host/1/io-2", "error": "HTTP Error 403: Forbidden (second)"}]
        """

    // MARK: - Tests

    @Test func anEmptyDatabaseReportsZeros() throws {
        let dir = try ProjectPaths.freshDirectory("status-empty")
        defer { HeatersCLI.stopAndRemove(dir) }
        let status = try Self.json(Status.self, ["status", "--json"], dir: dir)
        #expect(status.sourceVideos.total == 0 && status.clips.total == 0 && status.jobs.total == 0)
        #expect(status.sourceVideos.byState["download_failed"] == 0, "every state is listed, zero included")
        #expect(status.clips.byState["pending_review"] == 0)
        #expect(status.jobs.byState["discarded"] == 0)
        #expect(status.jobs.byStage.isEmpty)
        #expect(status.failed.sourceVideos.isEmpty && status.failed.clips.isEmpty && status.failed.jobs.isEmpty)

        let text = try HeatersCLI.run(["status"], dataDirectory: dir)
        #expect(text.status == 0, "\(text.output)")
        #expect(text.stdout.contains("source videos  0"), "\(text.stdout)")
        #expect(text.stdout.contains("nothing failed"))

        let jobs = try HeatersCLI.run(["jobs"], dataDirectory: dir)
        #expect(jobs.status == 0 && jobs.stdout == "no jobs\n", "\(jobs.output)")
        let retry = try HeatersCLI.run(["retry", "--all-failed"], dataDirectory: dir)
        #expect(retry.status == 0 && retry.stdout.contains("no discarded jobs to retry"), "\(retry.output)")
    }

    @Test func statusCountsByStateAndListsFailedItemsWithTheirLastError() throws {
        let dir = try ProjectPaths.freshDirectory("status")
        defer { HeatersCLI.stopAndRemove(dir) }
        let db = try Self.database(dir)
        let good = try Rows.source(db, title: "Interview 3", frameCount: 1000)
        let broken = try Rows.source(db, title: "Broken link")
        try db.execute("UPDATE source_videos SET state = 'download_failed', error_message = $2 WHERE id = $1",
                       [broken, "yt-dlp: HTTP Error 403: Forbidden"])
        let failedClip = try Rows.clip(db, source: good, frames: 0..<100, state: "export_failed")
        try db.execute("UPDATE clips SET error_message = 'encoder refused the frame size' WHERE id = $1", [failedClip])
        try Rows.clip(db, source: good, frames: 100..<200)
        // A retired clip is history: neither counted nor listed, though it failed.
        let retired = try Rows.clip(db, source: good, frames: 200..<300, state: "export_failed")
        try db.execute("UPDATE clips SET retired_at = now(), retired_by = 'merge' WHERE id = $1", [retired])

        let discarded = try Self.job(db, stage: "download", subject: broken, state: .discarded, attempt: 2,
                                     maxAttempts: 2, errors: Self.twoErrors)
        let available = try Self.job(db, stage: "export", subjectType: "clip", subject: failedClip, state: .available)
        let running = try Self.job(db, stage: "download", subject: good, state: .running, attempt: 1)
        try Self.job(db, stage: "preprocess", subject: good, state: .completed, attempt: 1)

        let status = try Self.json(Status.self, ["status", "--json"], dir: dir)
        #expect(status.sourceVideos.total == 2)
        #expect(status.sourceVideos.byState["new"] == 1 && status.sourceVideos.byState["download_failed"] == 1)
        #expect(status.clips.total == 2, "the retired clip is not counted")
        #expect(status.clips.byState["export_failed"] == 1 && status.clips.byState["pending_review"] == 1)
        #expect(status.jobs.total == 4)
        #expect(status.jobs.byState == ["scheduled": 0, "available": 1, "running": 1, "retryable": 0,
                                        "completed": 1, "discarded": 1, "cancelled": 0])
        #expect(status.jobs.byStage["download"]?.total == 2)
        #expect(status.jobs.byStage["download"]?.byState["discarded"] == 1)
        #expect(status.jobs.byStage["download"]?.byState["running"] == 1)
        #expect(status.jobs.byStage["export"]?.byState["available"] == 1)
        #expect(status.jobs.byStage["preprocess"]?.byState["completed"] == 1)

        let video = try #require(status.failed.sourceVideos.first)
        #expect(status.failed.sourceVideos.count == 1)
        #expect(video.id == broken && video.title == "Broken link" && video.state == "download_failed")
        #expect(video.errorMessage == "yt-dlp: HTTP Error 403: Forbidden")
        #expect(status.failed.clips.map(\.id) == [failedClip])
        #expect(status.failed.clips.first?.errorMessage == "encoder refused the frame size")
        #expect(status.failed.clips.first?.sourceTitle == "Interview 3")
        let job = try #require(status.failed.jobs.first)
        #expect(status.failed.jobs.count == 1)
        #expect(job.id == discarded && job.stage == "download" && job.attempt == 2 && job.maxAttempts == 2)
        #expect(job.errorCount == 2)
        #expect(job.lastError == "HTTP Error 403: Forbidden (second)", "the last error is attempt 2's")
        #expect(job.lastErrorAttempt == 2)

        // A job whose worker was lost twice is listed as being retried on its losses budget.
        try db.execute("UPDATE jobs SET losses = 2, scheduled_at = now() + interval '4 seconds', state = 'retryable' WHERE id = $1",
                       [available])
        let text = try HeatersCLI.run(["status"], dataDirectory: dir)
        #expect(text.status == 0, "\(text.output)")
        for expected in ["retried after their worker was lost", "\(available)  export  subject \(failedClip)  lost 2 of 10  again at",
                         "source videos  2  new 1 · download_failed 1", "jobs           4",
                         "failed source videos (1)", "Broken link", "yt-dlp: HTTP Error 403: Forbidden",
                         "failed clips (1)", "encoder refused the frame size",
                         "discarded jobs (1)", "HTTP Error 403: Forbidden (second)"] {
            #expect(text.stdout.contains(expected), "missing \"\(expected)\" in:\n\(text.stdout)")
        }
        #expect(!text.stdout.contains("(first)"))
        #expect(!text.stdout.contains("put off by an outage"), "no outage yet:\n\(text.stdout)")

        // A job put off by an outage is listed with what was unavailable.
        try db.execute("""
            UPDATE jobs SET losses = 0, outages = 3, errors = errors || '[{"attempt": 1, "outage": 3, "error": "storage unavailable: HTTP 503"}]'::jsonb
            WHERE id = $1
            """, [available])
        let outage = try HeatersCLI.run(["status"], dataDirectory: dir)
        for expected in ["put off by an outage", "\(available)  export  subject \(failedClip)  outage 3 of 100  again at",
                         "storage unavailable: HTTP 503"] {
            #expect(outage.stdout.contains(expected), "missing \"\(expected)\" in:\n\(outage.stdout)")
        }
        #expect(!outage.stdout.contains("retried after their worker was lost"), "\(outage.stdout)")
        let recovering = try #require(try Self.json(Status.self, ["status", "--json"], dir: dir).recovering.first)
        #expect(recovering.id == available && recovering.outages == 3 && recovering.maxOutages == 100
                && recovering.lastError == "storage unavailable: HTTP 503")
        try db.execute("UPDATE jobs SET outages = 0, scheduled_at = now(), state = 'available' WHERE id = $1", [available])

        // heaters jobs: filters, newest first, the limit and the total beyond it.
        let failedJobs = try Self.json(Listing.self, ["jobs", "--state", "discarded", "--json"], dir: dir)
        #expect(failedJobs.jobs.map(\.id) == [discarded] && failedJobs.matching == 1)
        #expect(failedJobs.jobs.first?.lastError == "HTTP Error 403: Forbidden (second)")
        #expect(failedJobs.jobs.first?.subjectType == "source_video" && failedJobs.jobs.first?.subjectID == broken)
        let alias = try Self.json(Listing.self, ["jobs", "--state", "failed", "--json"], dir: dir)
        #expect(alias.jobs.map(\.id) == [discarded], "failed means discarded")
        let all = try Self.json(Listing.self, ["jobs", "--json"], dir: dir)
        #expect(all.jobs.map(\.id) == all.jobs.map(\.id).sorted(by: >) && all.jobs.count == 4, "newest first")
        let downloads = try Self.json(Listing.self, ["jobs", "--stage", "download", "--json"], dir: dir)
        #expect(Set(downloads.jobs.map(\.id)) == [discarded, running])
        let limited = try Self.json(Listing.self, ["jobs", "--limit", "1", "--json"], dir: dir)
        #expect(limited.jobs.count == 1 && limited.matching == 4)
        let table = try HeatersCLI.run(["jobs", "--limit", "2"], dataDirectory: dir)
        #expect(table.status == 0, "\(table.output)")
        #expect(table.stdout.hasPrefix("id  stage"), "\(table.stdout)")
        #expect(table.stdout.contains("showing the newest 2 of 4 jobs"), "\(table.stdout)")
        let exports = try HeatersCLI.run(["jobs", "--stage", "export"], dataDirectory: dir)
        #expect(exports.stdout.contains("clip \(failedClip)") && exports.stdout.contains("available  0/3"),
                "\(exports.stdout) (job \(available))")

        let bogus = try HeatersCLI.run(["jobs", "--state", "bogus"], dataDirectory: dir)
        #expect(bogus.status != 0)
        #expect(bogus.stderr.contains("bogus"), "\(bogus.output)")
        for state in JobState.allCases {
            #expect(bogus.stderr.contains(state.rawValue), "valid state \(state) not named in: \(bogus.stderr)")
        }
    }

    /// A title from the network (yt-dlp's metadata) or a user can hold terminal escapes; the
    /// text commands show them as \u{1B} instead of sending them to the terminal.
    @Test func terminalEscapesInTitlesAndErrorsAreShownNotSent() throws {
        let dir = try ProjectPaths.freshDirectory("status-escapes")
        defer { HeatersCLI.stopAndRemove(dir) }
        let db = try Self.database(dir)
        let evil = "Harbour\u{1B}]0;owned\u{07}\u{1B}[2J\u{9B}31m"
        let source = try Rows.source(db, title: evil)
        try db.execute("UPDATE source_videos SET state = 'download_failed', error_message = $2 WHERE id = $1",
                       [source, "HTTP 403\u{1B}[1A\u{1B}[2K"])
        let clip = try Rows.clip(db, source: source, frames: 0..<100)
        for arguments in [["sources"], ["status"], ["clip", "show", String(clip)], ["clip", "list"]] {
            let outcome = try HeatersCLI.run(arguments, dataDirectory: dir)
            #expect(outcome.status == 0, "\(arguments): \(outcome.output)")
            #expect(!outcome.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{9B}" },
                    "\(arguments) sent a control character")
            if arguments != ["clip", "list"] {  // the list shows no titles
                #expect(outcome.stdout.contains("Harbour\\u{1B}]0;owned\\u{7}"), "\(arguments): \(outcome.stdout)")
            }
        }
    }

    @Test func cancelStopsAJobUntilItIsRetried() throws {
        let dir = try ProjectPaths.freshDirectory("cancel")
        defer { HeatersCLI.stopAndRemove(dir) }
        let db = try Self.database(dir)
        let source = try Rows.source(db)
        try db.execute("UPDATE source_videos SET state = 'downloaded' WHERE id = $1", [source])
        let queued = try Self.job(db, stage: "preprocess", subject: source, state: .available)

        let cancelled = try Self.json(Cancelled.self, ["cancel", "\(queued)", "--json"], dir: dir)
        #expect(cancelled.cancelled == queued)
        let job = try #require(try db.query("SELECT state FROM jobs WHERE id = $1", [queued]).first)
        #expect(try job.decode("state", as: String.self) == "cancelled")
        let subject = try #require(try db.query("SELECT state, error_message FROM source_videos WHERE id = $1", [source]).first)
        #expect(try subject.decode("state", as: String.self) == "preprocess_failed", "the cancel sticks: the dispatcher leaves it")
        #expect(try subject.decode("error_message", as: String.self).contains("heaters retry \(queued) runs it again"))

        let again = try HeatersCLI.run(["cancel", "\(queued)"], dataDirectory: dir)
        #expect(again.status == 1 && again.stderr.contains("job \(queued) is cancelled: only a queued or running job can be cancelled"),
                "\(again.output)")
        let missing = try HeatersCLI.run(["cancel", "999999"], dataDirectory: dir)
        #expect(missing.status == 1 && missing.stderr.contains("there is no job 999999"), "\(missing.output)")
        let help = try HeatersCLI.run(["cancel", "--help"], dataDirectory: dir)
        #expect(help.status == 0 && help.stdout.contains("heaters retry ID"), "\(help.output)")

        #expect(try HeatersCLI.run(["retry", "\(queued)"], dataDirectory: dir).status == 0)
        #expect(try db.query("SELECT state FROM source_videos WHERE id = $1", [source]).first!.decode("state", as: String.self)
                == "downloaded", "retry brings the subject back to the stage's input")
    }

    struct Cancelled: Decodable { var cancelled: Int64 }

    @Test func retryBringsFailedJobsBackAndRefusesOthersClearly() throws {
        let dir = try ProjectPaths.freshDirectory("retry")
        defer { HeatersCLI.stopAndRemove(dir) }
        let db = try Self.database(dir)
        let source = try Rows.source(db)
        let discarded = try Self.job(db, stage: "download", subject: source, state: .discarded, attempt: 3,
                                     errors: Self.twoErrors)
        let running = try Self.job(db, stage: "preprocess", subject: source, state: .running, attempt: 1)

        let one = try HeatersCLI.run(["retry", "\(discarded)"], dataDirectory: dir)
        #expect(one.status == 0, "\(one.output)")
        #expect(one.stdout.contains("job \(discarded)") && one.stdout.contains("available again"), "\(one.stdout)")
        let row = try #require(try db.query("SELECT state, attempt, finished_at, jsonb_array_length(errors) AS n FROM jobs WHERE id = $1",
                                            [discarded]).first)
        #expect(try row.decode("state", as: String.self) == "available")
        #expect(try row.decode("attempt", as: Int.self) == 0)
        #expect(try row.text("finished_at") == nil)
        #expect(try row.decode("n", as: Int.self) == 2, "the error history stays")

        let again = try HeatersCLI.run(["retry", "\(discarded)"], dataDirectory: dir)
        #expect(again.status == 1 && again.stderr.contains("job \(discarded) is available"), "\(again.output)")
        let busy = try HeatersCLI.run(["retry", "\(running)"], dataDirectory: dir)
        #expect(busy.status == 1 && busy.stderr.contains("job \(running) is running"), "\(busy.output)")
        #expect(busy.stderr.contains("only discarded or cancelled jobs can be retried"))
        let missing = try HeatersCLI.run(["retry", "999999"], dataDirectory: dir)
        #expect(missing.status == 1 && missing.stderr.contains("there is no job 999999"), "\(missing.output)")

        let neither = try HeatersCLI.run(["retry"], dataDirectory: dir)
        #expect(neither.status == 64 && neither.stderr.contains("--all-failed"), "\(neither.output)")
        let both = try HeatersCLI.run(["retry", "\(running)", "--all-failed"], dataDirectory: dir)
        #expect(both.status == 64 && both.stderr.contains("not both"), "\(both.output)")

        // A cancelled job comes back too; one whose stage and subject have a live job does not.
        let cancelled = try Self.job(db, stage: "export", subjectType: "clip", subject: 7, state: .cancelled)
        #expect(try HeatersCLI.run(["retry", "\(cancelled)"], dataDirectory: dir).status == 0)
        let shadowed = try Self.job(db, stage: "download", subject: source, state: .discarded, attempt: 3)
        let blocked = try HeatersCLI.run(["retry", "\(shadowed)"], dataDirectory: dir)
        #expect(blocked.status == 1, "\(blocked.output)")
        #expect(blocked.stderr.contains("job \(discarded) of stage download"), "names the live job: \(blocked.stderr)")

        // --all-failed: every discarded job without a live twin.
        let first = try Self.job(db, stage: "keyframes", subjectType: "clip", subject: 1, state: .discarded, attempt: 3)
        let second = try Self.job(db, stage: "embed", subjectType: "clip", subject: 2, state: .discarded, attempt: 3)
        let all = try Self.json(Retried.self, ["retry", "--all-failed", "--json"], dir: dir)
        #expect(Set(all.retried) == [first, second])
        let states = try db.query("SELECT state, attempt FROM jobs WHERE id = ANY($1::bigint[])", ["{\(first),\(second)}"])
        #expect(try states.map { try $0.decode("state", as: String.self) } == ["available", "available"])
        #expect(try states.map { try $0.decode("attempt", as: Int.self) } == [0, 0])
        #expect(try db.query("SELECT state FROM jobs WHERE id = $1", [shadowed]).first?.decode("state", as: String.self)
                == "discarded")

        let text = try HeatersCLI.run(["retry", "--all-failed"], dataDirectory: dir)
        #expect(text.status == 0, "\(text.output)")
        #expect(text.stdout.contains("no discarded jobs to retry"), "\(text.stdout)")
        #expect(text.stdout.contains("1 discarded job left"), "\(text.stdout)")
    }

    @Test func everyCommandExplainsItself() throws {
        let dir = try ProjectPaths.freshDirectory("status-help")
        defer { try? FileManager.default.removeItem(at: dir) }
        for command in ["status", "jobs", "retry"] {
            let help = try HeatersCLI.run([command, "--help"], dataDirectory: dir)
            #expect(help.status == 0, "\(help.output)")
            #expect(help.stdout.contains("OVERVIEW:") && help.stdout.contains("--json") && help.stdout.contains("--data-dir"),
                    "\(command): \(help.stdout)")
        }
        let top = try HeatersCLI.run(["--help"], dataDirectory: dir)
        for command in ["status", "jobs", "retry"] { #expect(top.stdout.contains("  \(command) "), "\(top.stdout)") }
    }
}
