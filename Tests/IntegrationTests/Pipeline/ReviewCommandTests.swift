@testable import Database
import Foundation
import Testing

/// `heaters clip …` against a real database: every verb, the undo window of merges and
/// splits, undo before and after landing, refusals that change nothing, stale decisions,
/// request ids, batches, and what `heaters status` says about pending landings.
@Suite(.timeLimit(.minutes(12))) struct ReviewCommandTests {
    struct Receipt: Decodable {
        struct Action: Decodable {
            var id: Int64
            var action: String
            var clip: Int64
            var scheduled: Bool
        }
        var actions: [Action]
        var batch_id: String?
        var replayed: Bool
    }

    struct Listed: Decodable {
        var id: Int64
        var state: String
        var tags: [String]
        var version: Int
        var groupedWith: Int64?
    }

    struct Detail: Decodable {
        struct Link: Decodable { var clip: Int64; var operation: String; var undone: Bool }
        var clip: Listed
        struct Member: Decodable { var clip: Int64; var state: String; var file: String? }
        var group: [Member]
        var parents: [Link]
        var children: [Link]
    }

    func decode<T: Decodable>(_ type: T.Type, _ outcome: HeatersCLI.Outcome) throws -> T {
        guard outcome.status == 0 else { throw FixtureError("heaters failed (\(outcome.status)): \(outcome.output)") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(outcome.stdout.utf8))
    }

    /// Runs a command that must succeed.
    @discardableResult
    func ok(_ fixture: ReviewFixture, _ arguments: [String], window: Double = 60, reviewer: String = "alice") throws -> String {
        let outcome = try fixture.cli(arguments, window: window, reviewer: reviewer)
        guard outcome.status == 0 else { throw FixtureError("heaters \(arguments.joined(separator: " ")) failed: \(outcome.output)") }
        return outcome.stdout
    }

    /// Runs a command that must be refused: exit 1, the database unchanged; returns stderr.
    func refused(_ fixture: ReviewFixture, _ arguments: [String], reviewer: String = "alice") throws -> String {
        let before = try fixture.snapshot()
        let outcome = try fixture.cli(arguments, reviewer: reviewer)
        #expect(outcome.status == 1, "heaters \(arguments.joined(separator: " ")) was not refused: \(outcome.output)")
        #expect(try fixture.snapshot() == before, "a refusal changed the database")
        return outcome.stderr
    }

    @Test func everyVerbFromTheCommandLine() async throws {
        let f = try await ReviewFixture(frameCount: 500, boundaries: [100, 200, 300, 400])
        defer { f.cleanUp() }
        let c = f.clips
        #expect(try decode([Listed].self, f.cli(["clip", "list", "--json"])).map(\.state) == Array(repeating: "pending_review", count: 5))

        let approve = try decode(Receipt.self, f.cli(["clip", "approve", String(c[0]), "--json"]))
        #expect(approve.actions.map(\.action) == ["approve"] && !approve.actions[0].scheduled)
        try ok(f, ["clip", "skip", String(c[1])])
        try ok(f, ["clip", "archive", String(c[2])])
        #expect(try ok(f, ["clip", "tag", String(c[3]), "--tag", "night"]).contains("tagged clip \(c[3]) \"night\""))
        #expect(try decode([Listed].self, f.cli(["clip", "list", "--tag", "night", "--json"])).map(\.id) == [c[3]])
        try ok(f, ["clip", "untag", String(c[3]), "--tag", "night"])
        try ok(f, ["clip", "group", String(c[4]), "--with", String(c[3])])
        let states = try decode([Listed].self, f.cli(["clip", "list", "--json"]))
        #expect(states.map(\.state) == ["review_approved", "review_skipped", "review_archived", "review_approved", "review_approved"])
        #expect(states[4].groupedWith == c[3] && states[3].tags.isEmpty)
        #expect(try decode(Detail.self, f.cli(["clip", "show", String(c[4]), "--json"])).group.map(\.clip) == [c[3]])
        #expect(try ok(f, ["clip", "show", String(c[4])]).contains("group: clips \(c[3])"))
        #expect(try decode([Listed].self, f.cli(["clip", "list", "--state", "review_skipped", "--json"])).map(\.id) == [c[1]])

        // Undo takes the reviewer's newest decision: the group, both clips back to pending.
        #expect(try ok(f, ["clip", "undo"]).contains("reverted action"))
        let afterUndo = try decode([Listed].self, f.cli(["clip", "list", "--json"]))
        #expect(afterUndo[3].state == "pending_review" && afterUndo[4].state == "pending_review" && afterUndo[4].groupedWith == nil)

        let log = try ok(f, ["clip", "log"])
        for verb in ["approve", "skip", "archive", "tag", "untag", "group", "undo"] { #expect(log.contains(verb), "log lacks \(verb)") }
        #expect(log.contains("undone by"))
        #expect(try ok(f, ["clip", "log", "--reviewer", "bob"]).contains("no review actions yet"))
    }

    @Test func aSplitUndoneInsideItsWindowLeavesTheDatabaseAsBefore() async throws {
        let f = try await ReviewFixture()
        defer { f.cleanUp() }
        let before = try f.snapshot()
        let split = try decode(Receipt.self, f.cli(["clip", "split", String(f.clips[1]), "--at", "150", "--json"]))
        #expect(split.actions.first?.scheduled == true)
        #expect(try f.snapshot() != before, "the split holds its clip and schedules a job")
        #expect(try f.count("SELECT count(*)::int AS n FROM review_holds") == 1)
        #expect(try ok(f, ["clip", "undo", String(split.actions[0].id)]).contains("cancelled scheduled action"))
        #expect(try f.snapshot() == before)
        #expect(try f.count("SELECT count(*)::int AS n FROM jobs WHERE stage = 'land_review' AND state = 'cancelled'") == 1)
        // The worker finds nothing to land.
        #expect(try f.landAll().status == 0)
        #expect(try f.snapshot() == before)
    }

    @Test func aSplitLandsAfterItsWindowCutExactlyAtTheFrameAndUndoesWhileUndecided() async throws {
        let f = try await ReviewFixture()
        defer { f.cleanUp() }
        let original = try f.live()
        let parent = f.clips[1]
        try ok(f, ["clip", "split", String(parent), "--at", "+37"], window: 1)
        #expect(try f.live() == original, "nothing lands before the window has passed")
        #expect(try f.landAll().status == 0)
        let live = try f.live()
        #expect(live.map(\.start) == [0, 100, 137, 200] && live.map(\.end) == [100, 137, 200, 300])
        let children = [live[1].id, live[2].id]
        let seconds = try f.db.query("SELECT start_seconds, end_seconds FROM clips WHERE id = $1", [children[0]]).first!
        #expect(try seconds.decode("start_seconds", as: Double.self) == 4 && seconds.decode("end_seconds", as: Double.self) == 5.48)
        #expect(try f.count("SELECT count(*)::int AS n FROM clip_lineage WHERE parent_clip_id = $1 AND operation = 'split'",
                            [parent]) == 2)
        let detail = try decode(Detail.self, f.cli(["clip", "show", String(children[0]), "--json"]))
        #expect(detail.parents.map(\.clip) == [parent] && detail.parents[0].operation == "split")
        #expect(try f.count("SELECT count(*)::int AS n FROM review_holds") == 0)
        // The retired clip names its replacements.
        #expect(try refused(f, ["clip", "approve", String(parent)]).contains("its frames are in clips \(children[0]), \(children[1]) now"))

        #expect(try ok(f, ["clip", "undo"]).contains("clip \(parent) is back"))
        #expect(try f.live() == original)
        #expect(try f.count("SELECT count(*)::int AS n FROM clips WHERE retired_by = 'undo'") == 2)
        #expect(try f.count("SELECT count(*)::int AS n FROM clip_lineage WHERE undone_at IS NOT NULL") == 2)
    }

    @Test func aMergeLandsAfterItsWindowAndUndoesWhileUndecided() async throws {
        let f = try await ReviewFixture()
        defer { f.cleanUp() }
        let original = try f.live()
        try ok(f, ["clip", "tag", String(f.clips[1]), "--tag", "a"])
        try ok(f, ["clip", "tag", String(f.clips[2]), "--tag", "b"])
        let merge = try decode(Receipt.self, f.cli(["clip", "merge", String(f.clips[2]), "--with", String(f.clips[1]), "--json"],
                                                    window: 1))
        #expect(try f.landAll().status == 0)
        let live = try f.live()
        #expect(live.map(\.start) == [0, 100] && live.map(\.end) == [100, 300])
        #expect(try f.db.query("SELECT tags::text AS t FROM clips WHERE id = $1", [live[1].id]).first!.decode("t", as: String.self)
                == "{a,b}")
        #expect(try f.count("SELECT count(*)::int AS n FROM clip_lineage WHERE child_clip_id = $1 AND operation = 'merge'",
                            [live[1].id]) == 2)
        try ok(f, ["clip", "undo", String(merge.actions[0].id)])
        #expect(try f.live().map(\.id) == original.map(\.id))
    }

    @Test func anUndoIsRefusedOnceAClipItMadeIsDecided() async throws {
        let f = try await ReviewFixture()
        defer { f.cleanUp() }
        let split = try decode(Receipt.self, f.cli(["clip", "split", String(f.clips[1]), "--at", "150", "--json"], window: 0))
        #expect(try f.landAll().status == 0)
        let child = try f.live()[1].id
        try ok(f, ["clip", "approve", String(child)], reviewer: "bob")
        let message = try refused(f, ["clip", "undo", String(split.actions[0].id)])
        #expect(message.contains("clip \(child), made by the split, was decided since (review_approved)"))
        #expect(message.contains("last changed by bob: approve"))
    }

    @Test func refusalsSayWhyAndChangeNothing() async throws {
        let f = try await ReviewFixture()
        defer { f.cleanUp() }
        let c = f.clips
        let other = try Rows.source(f.db, title: "Other", frameCount: 100)
        let elsewhere = try Rows.clip(f.db, source: other, frames: 0..<100)
        #expect(try refused(f, ["clip", "approve", "999999"]).contains("there is no clip 999999"))
        #expect(try refused(f, ["clip", "split", String(c[1]), "--at", "100"]).contains("must be one of frames 101…199"))
        #expect(try refused(f, ["clip", "split", String(c[1]), "--at", "+500"]).contains("101…199"))
        #expect(try refused(f, ["clip", "merge", String(c[0]), "--with", String(c[2])]).contains("are not adjacent"))
        #expect(try refused(f, ["clip", "merge", String(c[2]), "--with", String(elsewhere)]).contains("belong to different sources"))
        #expect(try refused(f, ["clip", "group", String(c[0]), "--with", String(elsewhere)]).contains("belong to different sources"))
        #expect(try refused(f, ["clip", "undo", "999999"]).contains("there is no review action 999999"))
        #expect(try refused(f, ["clip", "undo"]).contains("nothing to undo: alice has no decision"))
        #expect(try refused(f, ["clip", "approve", String(c[0]), String(c[0])]).contains("appears in two decisions"))
        #expect(try refused(f, ["clip", "tag", String(c[0]), "--tag", "\u{1B}[31mred"]).contains("control characters"))
        try ok(f, ["clip", "approve", String(c[0])], reviewer: "bob")
        let again = try refused(f, ["clip", "approve", String(c[0])])
        #expect(again.contains("clip \(c[0]) is review_approved, not pending review") && again.contains("bob"))
        // A batch with one bad decision applies none of them.
        #expect(try refused(f, ["clip", "skip", String(c[1]), String(c[0])]).contains("not pending review"))
        #expect(try f.live()[1].state == "pending_review")
    }

    @Test func aStaleDecisionIsRefusedNamingWhoChangedTheClip() async throws {
        let f = try await ReviewFixture()
        defer { f.cleanUp() }
        let clip = f.clips[0]
        let seen = try decode(Detail.self, f.cli(["clip", "show", String(clip), "--json"])).clip.version
        try ok(f, ["clip", "tag", String(clip), "--tag", "later"], reviewer: "bob")
        let message = try refused(f, ["clip", "approve", String(clip), "--version", String(seen)])
        #expect(message.contains("clip \(clip) changed since you saw it") && message.contains("last changed by bob: tag"))
        let now = try decode(Detail.self, f.cli(["clip", "show", String(clip), "--json"])).clip.version
        try ok(f, ["clip", "approve", String(clip), "--version", String(now)])
    }

    @Test func aRequestAppliesOnceAndABatchIsUndoneTogether() async throws {
        let f = try await ReviewFixture()
        defer { f.cleanUp() }
        let request = UUID().uuidString
        let first = try decode(Receipt.self, f.cli(["clip", "approve", String(f.clips[0]), "--request", request, "--json"]))
        let second = try decode(Receipt.self, f.cli(["clip", "approve", String(f.clips[0]), "--request", request, "--json"]))
        #expect(!first.replayed && second.replayed && second.actions.map(\.id) == first.actions.map(\.id))
        #expect(try f.count("SELECT count(*)::int AS n FROM review_actions") == 1)

        let batch = try decode(Receipt.self, f.cli(["clip", "skip", String(f.clips[1]), String(f.clips[2]), "--json"]))
        #expect(batch.actions.count == 2 && batch.batch_id != nil)
        try ok(f, ["clip", "undo", String(batch.actions[0].id)])
        #expect(try f.live().map(\.state) == ["review_approved", "pending_review", "pending_review"])
    }

    @Test func statusListsPendingLandingsAndWarnsWhenNoWorkerRunsThem() async throws {
        let f = try await ReviewFixture()
        defer { f.cleanUp() }
        let split = try decode(Receipt.self, f.cli(["clip", "split", String(f.clips[1]), "--at", "120", "--json"]))
        try ok(f, ["clip", "approve", String(f.clips[0])])
        struct Status: Decodable {
            struct Review: Decodable {
                struct Pending: Decodable { var action: Int64; var kind: String; var overdue: Bool }
                var pending: [Pending]
                var settling: Int
                var overdue: Int
            }
            var review: Review
        }
        var status = try decode(Status.self, f.cli(["status", "--json"]))
        #expect(status.review.pending.map(\.action) == [split.actions[0].id] && status.review.pending[0].kind == "split")
        #expect(status.review.settling == 1 && status.review.overdue == 0 && !status.review.pending[0].overdue)
        // Its time came a minute ago and nothing ran it.
        try f.db.execute("UPDATE jobs SET scheduled_at = now() - interval '1 minute' WHERE stage = 'land_review'")
        status = try decode(Status.self, f.cli(["status", "--json"]))
        #expect(status.review.overdue == 1 && status.review.pending[0].overdue)
        #expect(try ok(f, ["status"]).contains("warning: 1 merge or split should have landed"))
    }
}
