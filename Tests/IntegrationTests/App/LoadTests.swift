@testable import Database
import Domain
import Foundation
import Testing

/// The library at the size the issue names: 100,000 clips over 200 sources (a fifth decided,
/// the rest pending), loaded through the real schema. What a reviewer and an operator do at
/// that size still works and says the right things: `heaters status`, `heaters clip list
/// --limit 50`, and the station opening on the first pending clip in review order and
/// scrolling past its first page of 200. How long each takes is measured by
/// scripts/bench-load (BENCHMARKS.md), not asserted here; the times seen are printed.
@Suite(.timeLimit(.minutes(12))) struct LoadTests {
    struct Status: Decodable {
        struct Counts: Decodable {
            var total: Int
            var byState: [String: Int]
        }
        var sourceVideos: Counts
        var clips: Counts
        var jobs: Counts
    }

    struct Listed: Decodable {
        var id: Int64
    }

    @Test func aLibraryOfAHundredThousandClipsOpensScrollsAndReports() async throws {
        let f = try await StationFixture("load", processed: false)
        defer {
            f.tmux.killServer()
            f.queue.cleanUp()
        }
        let plan = LoadBenchmarkQueries.Plan()
        let started = ContinuousClock.now
        try LoadBenchmarkQueries.load(f.db, plan)
        try LoadBenchmarkQueries.vacuum(f.db)
        print("load: \(plan.clips) clips over \(plan.sources) sources loaded in \(ContinuousClock.now - started)")
        // Review order: sources oldest first, frames in order; the first `decided` were decided.
        let pending: [Int64] = try f.db.query("""
            SELECT c.id FROM clips c WHERE c.state = 'pending_review' ORDER BY c.source_video_id, c.start_frame LIMIT 300
            """).map { try $0.decode("id") }
        #expect(pending.count == 300)

        let status = try HeatersCLI.run(["status", "--json"], dataDirectory: f.dir)
        #expect(status.status == 0, "\(status.output)")
        let counts = try JSONDecoder().decode(Status.self, from: Data(status.stdout.utf8))
        #expect(counts.sourceVideos.total == plan.sources && counts.sourceVideos.byState["scenes_detected"] == plan.sources)
        #expect(counts.clips.total == plan.clips)
        #expect(counts.clips.byState["pending_review"] == plan.clips - plan.decided)
        #expect(counts.clips.byState["embedded"] == plan.decided * 8 / 20, "8 of every 20 decided are embedded")
        // The finished jobs that made the library: 3 a source, a landing a decision, export,
        // keyframe and embed for the 8 in 20 embedded, export for the exported and the failed
        // (discarded), archive for the 3 archived.
        let perTwenty = 20 + 8 * 3 + 1 + 1 + 3
        #expect(counts.jobs.total == plan.sources * 3 + plan.decided / 20 * perTwenty, "\(counts.jobs)")
        #expect(counts.jobs.byState["discarded"] == plan.decided / 20)

        let list = try HeatersCLI.run(["clip", "list", "--limit", "50", "--json"], dataDirectory: f.dir)
        #expect(list.status == 0, "\(list.output)")
        let listed = try JSONDecoder().decode([Listed].self, from: Data(list.stdout.utf8))
        #expect(listed.count == 50 && Set(listed.map(\.id)).count == 50, "\(list.stdout.prefix(300))")

        try await f.open("L", columns: 160, rows: 48)
        let opened = ContinuousClock.now  // after tmux started it (an await may wait for a busy test pool)
        try f.tmux.waitFor("L", "the first pending clip", timeout: 60) {
            $0.contains("queue · \(plan.clips - plan.decided) pending") && Tmux.selectedClip($0) == pending[0]
        }
        print("load: the station showed the first pending clip \(ContinuousClock.now - opened) after tmux had started it")
        // Past the first page of 200: the station loads the next one as it scrolls.
        try f.tmux.type("L", String(repeating: "j", count: 250))
        try f.tmux.waitFor("L", "the 251st pending clip", timeout: 60) { Tmux.selectedClip($0) == pending[250] }
        try f.tmux.type("L", "kkk")
        try f.tmux.waitFor("L", "three clips back") { Tmux.selectedClip($0) == pending[247] }
        try f.tmux.type("L", "q")
        #expect(f.tmux.waitForExit("L"))
    }
}
