@testable import Database
import Domain
import Foundation
@testable import Queue
import Synchronization
import Testing

/// The counts `heaters status` reads instead of counting rows — live clips by state (migration
/// 18), jobs by stage and state (19) — follow every kind of change: many rows in one statement,
/// a state change, a retirement, an edit that changes no state, a source deleted with its clips,
/// the queue's whole lifecycle and its pruning; and stay exact while writers and compactions
/// run at once.
@Suite(.timeLimit(.minutes(12))) struct StateCountsTests {
    /// A query's counts `n` by state, or by "stage/state" when `staged`.
    static func tally(_ db: PostgresConnection, _ sql: String, staged: Bool = false) throws -> [String: Int] {
        try Dictionary(db.query(sql).map { row in
            let state: String = try row.decode("state")
            let key = staged ? "\(try row.decode("stage", as: String.self))/\(state)" : state
            return (key, try row.decode("n", as: Int.self))
        }, uniquingKeysWith: +)
    }

    /// What a count of the clips themselves says, and what the counts table says; the same of jobs.
    static func truth(_ db: PostgresConnection) throws -> [String: Int] {
        try tally(db, "SELECT state, count(*)::bigint AS n FROM clips WHERE retired_at IS NULL GROUP BY state")
    }

    static func counted(_ db: PostgresConnection) throws -> [String: Int] { try tally(db, StateCountQueries.clipCounts) }

    static func jobTruth(_ db: PostgresConnection) throws -> [String: Int] {
        try tally(db, "SELECT stage, state, count(*)::bigint AS n FROM jobs GROUP BY stage, state", staged: true)
    }

    static func jobsCounted(_ db: PostgresConnection) throws -> [String: Int] {
        try tally(db, StateCountQueries.jobCounts, staged: true)
    }

    static func clips(_ db: PostgresConnection, source: Int64, count: Int) throws {
        _ = try db.execute("""
            INSERT INTO clips (source_video_id, start_frame, end_frame, start_seconds, end_seconds)
            SELECT $1, i * 10, i * 10 + 10, i * 0.4, i * 0.4 + 0.4 FROM generate_series(0, $2 - 1) AS i
            """, [source, count])
    }

    @Test func theCountsFollowEveryChangeOfTheClips() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        let first = try Rows.source(db, title: "first", frameCount: 1000), second = try Rows.source(db, title: "second", frameCount: 1000)
        try Self.clips(db, source: first, count: 30)
        try Self.clips(db, source: second, count: 5)
        #expect(try Self.counted(db) == ["pending_review": 35])
        let steps: [(String, String)] = [
            ("ten approved in one statement", "UPDATE clips SET state = 'review_approved' WHERE id IN (SELECT id FROM clips ORDER BY id LIMIT 10)"),
            ("three of them exported", "UPDATE clips SET state = 'exported' WHERE id IN (SELECT id FROM clips WHERE state = 'review_approved' ORDER BY id LIMIT 3)"),
            ("four retired (a merge)", "UPDATE clips SET retired_at = now(), retired_by = 'merge' WHERE id IN (SELECT id FROM clips WHERE state = 'pending_review' ORDER BY id LIMIT 4)"),
            ("a retired clip's state changed", "UPDATE clips SET state = 'review_skipped' WHERE retired_at IS NOT NULL"),
            ("tags changed, no state", "UPDATE clips SET tags = ARRAY['x']"),
            ("one clip deleted", "DELETE FROM clips WHERE id = (SELECT max(id) FROM clips WHERE state = 'exported')"),
            ("a source deleted with its clips", "DELETE FROM source_videos WHERE title = 'second'"),
        ]
        for (name, sql) in steps {
            _ = try db.execute(sql)
            #expect(try Self.counted(db) == Self.truth(db), "after: \(name)")
        }
        #expect(try Self.truth(db) == ["pending_review": 16, "review_approved": 7, "exported": 2], "the steps did what they say")
        // Folded to one row per state, same counts; nothing to fold the second time.
        #expect(try StateCountQueries.compact(db, above: 0) == 3)
        #expect(try db.query("SELECT count(*)::bigint AS n FROM clip_state_counts").first!.decode("n", as: Int.self) == 3)
        #expect(try Self.counted(db) == Self.truth(db))
        #expect(try StateCountQueries.compact(db, above: 3) == 0)
        #expect(try StatusQueries.pipelineStatus(db).clips.byState["review_approved"] == 7)
    }

    @Test func theJobCountsFollowTheQueue() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        let queue = JobQueue(worker: "counts/1/a")
        for subject in 1...6 { try JobQueue.enqueue(db, NewJob(stage: "noop", queue: "q", subjectID: Int64(subject), maxAttempts: 1)) }
        try JobQueue.enqueue(db, NewJob(stage: "other", queue: "q", subjectID: 1))
        #expect(try Self.jobsCounted(db) == ["noop/available": 6, "other/available": 1])
        let claimed = try queue.claim(db, queue: "q", limit: 4, stages: ["noop"])
        #expect(claimed.count == 4)
        var steps: [(String, () throws -> Void)] = [
            ("claimed", {}),
            ("progress reported (no state change)", { try JobQueue.reportProgress(db, job: claimed[0].id, 0.5) }),
            ("heartbeat", { _ = try queue.heartbeat(db, jobs: claimed.map(\.id)) }),
            ("completed", { _ = try queue.complete(db, claimed[0]) }),
            ("failed for good", { _ = try queue.fail(db, claimed[1], error: "bad input", permanent: true) }),
            ("released", { _ = try queue.release(db, claimed[2]) }),
            ("cancelled", { _ = try JobQueue.cancel(db, id: claimed[3].id) }),
        ]
        steps.append(("finished ones pruned", {
            _ = try db.execute("UPDATE jobs SET finished_at = now() - interval '30 days' WHERE finished_at IS NOT NULL")
            _ = try JobQueue.prune(db, olderThan: .seconds(86_400))
        }))
        for (name, step) in steps {
            try step()
            #expect(try Self.jobsCounted(db) == Self.jobTruth(db), "after: \(name)")
        }
        #expect(try Self.jobTruth(db) == ["noop/available": 3, "noop/discarded": 1, "other/available": 1],
                "the steps did what they say")
        try StateCountQueries.compact(db, above: 0)
        #expect(try Self.jobsCounted(db) == Self.jobTruth(db))
        #expect(try StatusQueries.pipelineStatus(db).jobs.byStage["noop"]?.byState["discarded"] == 1)
    }

    @Test func writersAndCompactionsAtOnceKeepTheCountsExact() async throws {
        let conninfo = try await TestDatabase.fresh()
        let db = try PostgresConnection(conninfo: conninfo)
        let source = try Rows.source(db, title: "busy", frameCount: 10_000)
        try Self.clips(db, source: source, count: 400)
        let states = ClipState.allCases.map(\.rawValue)
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 5) { worker in
            do {
                let connection = try PostgresConnection(conninfo: conninfo)
                var random = SystemRandomNumberGenerator()
                let queue = JobQueue(worker: "counts/1/\(worker)")
                for round in 0..<150 {
                    if worker == 0 {
                        try StateCountQueries.compact(connection, above: round % 3)
                        continue
                    }
                    if worker == 4 {  // the queue's lifecycle beside the clip writers
                        try JobQueue.enqueue(connection, NewJob(stage: "noop", queue: "q", subjectID: Int64(round)))
                        for job in try queue.claim(connection, queue: "q", limit: 2, stages: ["noop"]) {
                            _ = round % 4 == 0 ? try queue.release(connection, job) : try queue.complete(connection, job)
                        }
                        continue
                    }
                    // One clip or a run of them, in or out of a transaction with a second change.
                    let first = Int.random(in: 0..<400, using: &random), length = Int.random(in: 1...20, using: &random)
                    let state = states.randomElement(using: &random)!
                    try connection.transaction { tx in
                        // The rows locked in id order first: two updates of overlapping runs
                        // could otherwise lock them in opposite orders and deadlock.
                        _ = try tx.query("""
                            SELECT id FROM clips WHERE source_video_id = $1 AND start_frame >= $2 AND start_frame < $3
                            ORDER BY id FOR UPDATE
                            """, [source, first * 10, (first + length) * 10])
                        _ = try tx.execute("""
                            UPDATE clips SET state = $1 WHERE source_video_id = $2 AND start_frame >= $3 AND start_frame < $4
                            """, [state, source, first * 10, (first + length) * 10])
                        if round % 5 == 0 {  // the same rows again: nothing new to lock
                            _ = try tx.execute("""
                                UPDATE clips SET state = 'pending_review'
                                WHERE source_video_id = $1 AND start_frame >= $2 AND start_frame < $3 AND id % 2 = 0
                                """, [source, first * 10, (first + length) * 10])
                        }
                    }
                }
            } catch {
                failures.withLock { $0.append("worker \(worker): \(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        #expect(try Self.counted(db) == Self.truth(db))
        #expect(try Self.truth(db).values.reduce(0, +) == 400)
        #expect(try Self.jobsCounted(db) == Self.jobTruth(db))
    }
}
