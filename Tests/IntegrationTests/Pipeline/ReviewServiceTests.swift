@testable import Database
import Domain
import Foundation
@testable import Pipeline
@testable import Queue
import Storage
import Testing

/// The review service in one process against a real database: the undo window keeps a
/// stage off a decided clip, a landing is idempotent, a landing that fails for good releases
/// its clips, and sessions' claims.
@Suite(.timeLimit(.minutes(12))) struct ReviewServiceTests {
    /// An export-like stage: it takes approved clips, as the real export will.
    static func exportLike() -> [Stage] {
        [Stage(name: "export", input: [ClipState.reviewApproved, .exporting], working: .exporting, success: .exported,
               failure: .exportFailed, queue: "media", maxAttempts: 1) { _ in StageResult() }]
    }

    func jobs(_ f: ReviewFixture, for clip: Int64) throws -> Int {
        try f.count("SELECT count(*)::int AS n FROM jobs WHERE stage = 'export' AND subject_id = $1", [clip])
    }

    @Test func approveThenUndoInsideTheWindowNeverReachesAWaitingStage() async throws {
        let f = try await ReviewFixture()
        defer { f.cleanUp() }
        let review = ReviewService(database: f.db, reviewer: "alice", undoSeconds: 1.5)
        let dispatcher = Dispatcher(stages: Self.exportLike())
        let (undone, kept) = (f.clips[0], f.clips[1])
        let first = try review.decide([.approve(clip: undone)]).actions[0].id
        try review.decide([.approve(clip: kept)])
        #expect(try dispatcher.dispatch(f.db) == 0, "inside the window no stage takes an approved clip")
        #expect(try review.undo(first).undid == [first])
        #expect(try dispatcher.dispatch(f.db) == 0)
        try await Task.sleep(for: .seconds(2))
        // The window has passed: the clip still approved goes on, the undone one never did.
        #expect(try dispatcher.dispatch(f.db) == 1)
        #expect(try jobs(f, for: kept) == 1)
        #expect(try jobs(f, for: undone) == 0)
        #expect(try f.live()[0].state == "pending_review")
    }

    @Test func landingTwiceChangesNothingTheSecondTime() async throws {
        let f = try await ReviewFixture()
        defer { f.cleanUp() }
        let review = ReviewService(database: f.db, reviewer: "alice", undoSeconds: 0)
        let action = try review.decide([.split(clip: f.clips[1], at: 160)]).actions[0].id
        guard case .landed(let created) = try ReviewService.land(f.db, action: action) else {
            Issue.record("the split did not land"); return
        }
        #expect(created.count == 2)
        #expect(try ReviewService.land(f.db, action: action) == .nothingToDo("action \(action) was landed already"))
        #expect(try f.live().map(\.start) == [0, 100, 160, 200])
    }

    @Test func aLandingThatFailsForGoodReleasesItsClipsAndShowsTheFailure() async throws {
        let f = try await ReviewFixture()
        defer { f.cleanUp() }
        let review = ReviewService(database: f.db, reviewer: "alice", undoSeconds: 0)
        let action = try review.decide([.split(clip: f.clips[1], at: 160)]).actions[0].id
        let queue = JobQueue(worker: "test/1/review-1")
        let job = try #require(try queue.claim(f.db, queue: ReviewService.queue, stages: [ReviewService.landingStage]).first)
        let handler = StageHandler(storage: try LocalObjectStore(root: f.dir.appendingPathComponent("storage")), scratch: f.dir,
                                   tools: nil)
        let runner = JobRunner(queue: queue, handler: handler)
        #expect(try runner.recordFailure(job, message: "disk on fire", permanent: true, on: f.db) == .discard)
        let row = try #require(try ReviewActionQueries.action(f.db, id: action))
        #expect(row.failedAt != nil && row.error == "disk on fire")
        #expect(try f.count("SELECT count(*)::int AS n FROM review_holds") == 0)
        // The clip is undecided and decidable again; the failed split cannot be undone.
        try review.decide([.approve(clip: f.clips[1])])
        #expect(throws: ReviewError.self) { try review.undo(action) }
    }

    @Test func theDatabaseRefusesToChangeAHeldClip() async throws {
        let f = try await ReviewFixture()
        defer { f.cleanUp() }
        try ReviewService(database: f.db, reviewer: "alice", undoSeconds: 60).decide([.merge(clip: f.clips[0], with: f.clips[1])])
        #expect(sqlState { try f.db.execute("UPDATE clips SET state = 'review_approved' WHERE id = $1", [f.clips[1]]) }
                == SQLState.checkViolation)
        #expect(sqlState { try f.db.execute("INSERT INTO review_holds (clip_id, action_id) SELECT $1, max(id) FROM review_actions",
                                            [f.clips[0]]) } == SQLState.uniqueViolation)
    }

    @Test func sessionsClaimDisjointRunsAndFreeThemWhenTheyEndOrExpire() async throws {
        let f = try await ReviewFixture(frameCount: 1000, boundaries: Array(stride(from: 50, to: 1000, by: 50)))
        defer { f.cleanUp() }
        for id in ["a", "b"] {
            try ReviewSessionQueries.open(f.db, id: id, reviewer: id, host: "test", pid: 1, leaseSeconds: 60)
        }
        let a = try ReviewSessionQueries.claim(f.db, session: "a", count: 5)
        let b = try ReviewSessionQueries.claim(f.db, session: "b", count: 5)
        #expect(a == Array(f.clips[0..<5]) && b == Array(f.clips[5..<10]))
        // A decision from elsewhere is refused on a claimed clip, unless forced or from its session.
        let cli = ReviewService(database: f.db, reviewer: "carol", undoSeconds: 60)
        #expect(throws: ReviewError("clip \(a[0]) is being reviewed by a (a session on test): leave it to them, or pass --force to decide it anyway")) {
            try cli.decide([.approve(clip: a[0])])
        }
        try cli.decide([.approve(clip: a[0])], force: true)
        try ReviewService(database: f.db, reviewer: "a", sessionID: "a", undoSeconds: 60).decide([.approve(clip: a[1])])
        // Session c's lease runs out: what it claimed is free for the next one. Its lease is ended
        // by hand after the claim (a short real lease can run out before a loaded machine claims).
        try ReviewSessionQueries.open(f.db, id: "c", reviewer: "c", host: "test", pid: 1, leaseSeconds: 60)
        let c = try ReviewSessionQueries.claim(f.db, session: "c", count: 3)
        #expect(c.count == 3)
        try f.db.execute("UPDATE review_sessions SET expires_at = now() - interval '1 second' WHERE id = 'c'")
        try ReviewSessionQueries.open(f.db, id: "d", reviewer: "d", host: "test", pid: 1, leaseSeconds: 60)
        #expect(try ReviewSessionQueries.claim(f.db, session: "d", count: 3) == c)
        try ReviewSessionQueries.end(f.db, id: "b")
        #expect(try ReviewSessionQueries.claims(f.db, session: "b").isEmpty)
        try ReviewSessionQueries.open(f.db, id: "e", reviewer: "e", host: "test", pid: 1, leaseSeconds: 60)
        #expect(try ReviewSessionQueries.claim(f.db, session: "e", count: 5) == b)
    }
}
