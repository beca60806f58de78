@testable import Database
import Foundation
import Testing

/// The review station in a real terminal: the built binary in tmux, keys by send-keys, the
/// screen by capture-pane, the outcome in the database.
@Suite(.timeLimit(.minutes(12))) struct StationTmuxTests {
    /// The frame view's text: rows 1…14, right of the queue (80×24 layout).
    static func picture(_ screen: String) -> String {
        screen.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().prefix(14)
            .map { String($0.dropFirst(27)) }.joined(separator: "\n")
    }

    @Test func aSourceSubmittedWhileOpenAppearsAndIsDecidedKeyByKey() async throws {
        let f = try await StationFixture("station-open", processed: false)
        defer { f.cleanUp() }
        try await f.open("a")
        try f.tmux.waitFor("a", "the empty queue") { $0.contains("nothing pending review") }
        try f.submit()
        // The station's own workers download, preprocess and detect it; the clips appear.
        var screen = try f.tmux.waitFor("a", "the new clips", timeout: 180) { $0.contains("queue · 4 pending") && $0.contains("frame 1/50") }
        let clips = try f.clips()
        #expect(clips.map(\.start) == [0, 50, 100, 150])
        #expect(Tmux.selectedClip(screen) == clips[0].id)
        #expect(screen.contains("\"Interview 3\""))
        let before = Self.picture(screen)

        try f.tmux.type("a", "10l")
        screen = try f.tmux.waitFor("a", "frame 11") { $0.contains("frame 11/50 · f 10 ·") }
        screen = try f.tmux.waitFor("a", "the new picture") { !$0.contains("…") && Self.picture($0) != before }
        #expect(Self.picture(screen) != before, "the picture changed with the frame")

        try f.tmux.type("a", "a")
        #expect(f.waitUntil { try f.state(of: clips[0].id) == "review_approved" })
        try f.tmux.waitFor("a", "the next clip selected") { Tmux.selectedClip($0) == clips[1].id }
        try f.tmux.type("a", "s")
        #expect(f.waitUntil { try f.state(of: clips[1].id) == "review_skipped" })
        try f.tmux.type("a", "d")
        #expect(f.waitUntil { try f.state(of: clips[2].id) == "review_archived" })
        try f.tmux.waitFor("a", "the tray") { $0.contains("archive \(clips[2].id) (undo in") }
        try f.tmux.type("a", "u")
        #expect(f.waitUntil { try f.state(of: clips[2].id) == "pending_review" }, "u undid the archive")
        try f.tmux.type("a", "q")
        #expect(f.tmux.waitForExit("a"))
    }

    /// `f` in a real terminal: on a pending clip (compared by its proxy frames) the list ranks
    /// the embedded original of its repeated shot first; enter opens that exported clip in place,
    /// where `d` withdraws it.
    @Test func similarClipsFromTheStationAndAnExportedOneOpenedAndWithdrawn() async throws {
        let f = try await StationFixture("station-similar", video: { try SceneFixtures.repeatedShot(at: $0) })
        defer { f.cleanUp() }
        let clips = try f.clips().map(\.id)
        for clip in clips.prefix(2) {
            let outcome = try HeatersCLI.run(["clip", "approve", String(clip), "--reviewer", "bob"], dataDirectory: f.dir,
                                             extra: ["HEATERS_UNDO_SECONDS": "0"])
            #expect(outcome.status == 0, "\(outcome.output)")
        }
        let workers = try HeatersCLI.run(["--headless", "--until-idle", "--queues", "io=1,media=2,review=1,default=0"],
                                         dataDirectory: f.dir)
        #expect(workers.status == 0)
        #expect(try f.state(of: clips[1]) == "embedded")
        try await f.open("s", columns: 160, rows: 48)
        try f.tmux.waitFor("s", "the queue") { $0.contains("queue · 2 pending") && Tmux.selectedClip($0) == clips[2] }
        try f.tmux.type("s", "j")
        try f.tmux.waitFor("s", "the repeated shot selected") { Tmux.selectedClip($0) == clips[3] }
        try f.tmux.type("s", "f")
        // A pending clip has no vector: its proxy frames are compared.
        let list = try f.tmux.waitFor("s", "the similar list") { screen in
            screen.contains("like clip \(clips[3]) ·") && screen.contains("by its proxy frames")
                && screen.split(separator: "\n").filter { $0.contains("embedded") && $0.contains("Interview 3 @") }.count == 2
        }
        let rows = list.split(separator: "\n").filter { $0.contains("embedded") && $0.contains("Interview 3 @") }
        #expect(rows.count == 2 && rows[0].contains(">" + String(String(clips[0]).reversed()).padding(toLength: 6, withPad: " ", startingAt: 0).reversed()), "the original first:\n\(list)")
        try f.tmux.keys("s", "Enter")
        try f.tmux.waitFor("s", "the exported clip opened") { Tmux.selectedClip($0) == clips[0] && $0.contains("is embedded: shown here") }
        try f.tmux.type("s", "d")
        let archived = f.waitUntil { try f.state(of: clips[0]) == "review_archived" }
        let after = try f.tmux.screen("s")
        #expect(archived, "withdrawn from the station: \(after)")
        try f.tmux.type("s", "q")
        #expect(f.tmux.waitForExit("s"))
    }

    @Test func splitUndoneInsideTheWindowThenLandedThenMergedAndABatch() async throws {
        let f = try await StationFixture("station-split")
        defer { f.cleanUp() }
        let original = try f.clips()
        try await f.open("a", window: 3)
        try f.tmux.waitFor("a", "the queue") { $0.contains("frame 1/50") }
        try f.tmux.type("a", "20lc")
        #expect(f.waitUntil { try f.count("SELECT count(*)::int AS n FROM review_holds") == 1 })
        try f.tmux.waitFor("a", "the split in the tray") { $0.contains("split \(original[0].id) @f20 (lands in") }
        try f.tmux.type("a", "u")
        #expect(f.waitUntil { try f.count("SELECT count(*)::int AS n FROM review_actions WHERE undone_at IS NOT NULL") == 1 })
        #expect(try f.clips().map(\.id) == original.map(\.id), "undone inside the window: nothing changed")
        #expect(try f.count("SELECT count(*)::int AS n FROM review_holds") == 0)

        // Again, and let the window pass: the station's workers land it, cut exactly at frame 20.
        try f.tmux.type("a", ":goto \(original[0].id)")
        try f.tmux.keys("a", "Enter")
        try f.tmux.waitFor("a", "the clip offered again") { Tmux.selectedClip($0) == original[0].id }
        try await Task.sleep(for: .seconds(1))
        try f.tmux.type("a", "0")
        try f.tmux.waitFor("a", "its first frame") { $0.contains("frame 1/50 · f 0 ·") }
        try f.tmux.type("a", "20l")
        try f.tmux.waitFor("a", "frame 20") { $0.contains("frame 21/50 · f 20 ·") }
        try f.tmux.type("a", "c")
        #expect(f.waitUntil(timeout: 40) { try f.clips().map(\.start) == [0, 20, 50, 100, 150] },
                "not landed; screen:\n\((try? f.tmux.screen("a")) ?? "")")
        let split = try f.clips()
        #expect(try f.count("SELECT count(*)::int AS n FROM clip_lineage WHERE parent_clip_id = $1", [original[0].id]) == 2)
        try f.tmux.waitFor("a", "the new clips in the queue") { $0.contains("queue · 5 pending") }

        // Merge the second new clip with the clip before it (the first new one).
        try f.tmux.type("a", ":goto \(split[1].id)")
        try f.tmux.keys("a", "Enter")
        try f.tmux.waitFor("a", "the second new clip") { Tmux.selectedClip($0) == split[1].id }
        try await Task.sleep(for: .seconds(1))
        try f.tmux.type("a", "m")
        #expect(f.waitUntil(timeout: 40) { try f.clips().map(\.start) == [0, 50, 100, 150] })

        // A batch: mark two clips, apply the next approve to both, undo them together.
        try f.tmux.waitFor("a", "the queue after the merge") { $0.contains("queue · 4 pending") }
        let now = try f.clips()
        try f.tmux.type("a", ":goto \(now[2].id)")
        try f.tmux.keys("a", "Enter")
        try f.tmux.waitFor("a", "clip 3 selected") { Tmux.selectedClip($0) == now[2].id }
        try f.tmux.type("a", "TT;a")
        #expect(f.waitUntil { try f.state(of: now[2].id) == "review_approved" && f.state(of: now[3].id) == "review_approved" })
        #expect(try f.count("SELECT count(DISTINCT batch_id)::int AS n FROM review_actions WHERE action = 'approve'") == 1)
        try f.tmux.type("a", "u")
        #expect(f.waitUntil { try f.state(of: now[2].id) == "pending_review" && f.state(of: now[3].id) == "pending_review" })
    }

    @Test func twoReviewersNeverHaveTheSameClip() async throws {
        let f = try await StationFixture("station-two")
        defer { f.cleanUp() }
        try await f.open("alice", reviewer: "alice")
        try f.tmux.waitFor("alice", "alice's queue") { Tmux.selectedClip($0) != nil && $0.contains("frame 1/") }
        try await f.open("bob", reviewer: "bob")
        let bob = try f.tmux.waitFor("bob", "bob's queue") { Tmux.selectedClip($0) != nil && $0.contains("frame 1/") }
        try await Task.sleep(for: .seconds(3))
        let alice = try f.tmux.screen("alice")
        let (a, b) = (Tmux.selectedClip(alice), Tmux.selectedClip(try f.tmux.screen("bob")))
        #expect(a != nil && b != nil && a != b, "alice has \(String(describing: a)), bob \(String(describing: b))\n\(bob)")
        let holders = try f.db.query("""
            SELECT k.clip_id, s.reviewer FROM review_claims k JOIN review_sessions s ON s.id = k.session_id
            WHERE s.ended_at IS NULL
            """).map { (try $0.decode("clip_id", as: Int64.self), try $0.decode("reviewer", as: String.self)) }
        #expect(holders.contains { $0 == (a!, "alice") } && holders.contains { $0 == (b!, "bob") })
        #expect(!holders.contains { $0.0 == a && $0.1 == "bob" })
    }

    @Test func helpResizeAndEveryWayOutReleaseTheClaims() async throws {
        let f = try await StationFixture("station-exit")
        defer { f.cleanUp() }
        let live = "SELECT count(*)::int AS n FROM review_claims k JOIN review_sessions s ON s.id = k.session_id WHERE s.ended_at IS NULL"
        for (session, ending) in [("q", "q"), ("term", "SIGTERM"), ("hup", "SIGHUP")] {
            try await f.open(session)
            try f.tmux.waitFor(session, "the station") { $0.contains("frame 1/50") }
            #expect(f.waitUntil { try f.count(live) > 0 }, "the station claims its clips")
            if session == "q" {
                try f.tmux.type(session, "?")
                // The whole help, not its first lines: curses writes a screen in several
                // pieces, and capture-pane can land between two of them.
                try f.tmux.waitFor(session, "the whole help") {
                    $0.contains("keys · any key closes this help") && $0.contains("approve") && $0.contains("merge with the clip")
                }
                try f.tmux.type(session, "x")
                try f.tmux.resize(session, columns: 160, rows: 48)
                try f.tmux.waitFor(session, "the large layout") { $0.split(separator: "\n").count >= 47 && $0.contains("frame 1/50") }
                try f.tmux.resize(session, columns: 80, rows: 24)
                // The 80-column layout: the queue 26 cells wide, its border in column 26.
                try f.tmux.waitFor(session, "the small layout again") { screen in
                    let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
                    return lines.count >= 3 && Array(lines[2]).count > 26 && Array(lines[2])[26] == "│" && screen.contains("frame 1/50")
                        && screen.contains("queue · 4 pending") && screen.contains("undo")
                }
                try f.tmux.type(session, "q")
            } else {
                let pid = try #require(try f.tmux.pid(session))
                kill(pid, ending == "SIGTERM" ? SIGTERM : SIGHUP)
            }
            #expect(f.tmux.waitForExit(session), "\(ending) did not end the station")
            #expect(f.waitUntil { try f.count(live) == 0 }, "\(ending) left claims behind")
        }
        #expect(try f.count("SELECT count(*)::int AS n FROM review_sessions WHERE ended_at IS NULL") == 0)
        // Reopened, the station returns to the clip and frame it was left at.
        try await f.open("again")
        try f.tmux.waitFor("again", "the station") { $0.contains("frame 1/50") }
        try f.tmux.type("again", "j7l")
        try f.tmux.waitFor("again", "frame 8 of clip 2") { $0.contains("frame 8/50 · f 57") }
        try f.tmux.type("again", "q")
        #expect(f.tmux.waitForExit("again"))
        try await f.open("back")
        try f.tmux.waitFor("back", "the same place") { $0.contains("frame 8/50 · f 57") }
    }

    @Test func theDatabaseStoppedAndStartedWhileOpen() async throws {
        let f = try await StationFixture("station-db")
        defer { f.cleanUp() }
        let clips = try f.clips()
        try await f.open("a")
        try f.tmux.waitFor("a", "the station") { $0.contains("frame 1/50") }
        #expect(try HeatersCLI.run(["db", "stop"], dataDirectory: f.dir).status == 0)
        try f.tmux.waitFor("a", "the outage noticed", timeout: 20) { $0.contains("database unreachable") }
        try f.tmux.type("a", "a")
        try f.tmux.waitFor("a", "the decision refused") { $0.contains("nothing was decided") }
        #expect(try HeatersCLI.run(["db", "start"], dataDirectory: f.dir).status == 0)
        try f.tmux.waitFor("a", "the recovery", timeout: 30) { !$0.contains("database unreachable") && $0.contains("pipeline: ") }
        let db = try PostgresConnection(conninfo: try EmbeddedPostgres(dataDirectory: f.dir, binaries: try TestDatabase.binaries).conninfo())
        #expect(try db.query("SELECT state FROM clips WHERE id = $1", [clips[0].id]).first?.decode("state", as: String.self)
                == "pending_review", "the refused decision was not applied")
        try f.tmux.type("a", "a")
        let deadline = Date().addingTimeInterval(30)
        var state = ""
        while Date() < deadline {
            state = try db.query("SELECT state FROM clips WHERE id = $1", [clips[0].id]).first!.decode("state")
            if state == "review_approved" { break }
            usleep(200_000)
        }
        #expect(state == "review_approved", "decisions work again after the recovery")
        #expect(try db.query("SELECT count(*)::int AS n FROM review_actions").first!.decode("n", as: Int.self) == 1,
                "nothing applied twice")
    }
}
