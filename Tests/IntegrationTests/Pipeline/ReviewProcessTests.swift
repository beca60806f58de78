@testable import Database
import Foundation
import Testing

/// The review engine across processes: reviewer processes claiming at the same moment, and
/// a worker killed inside the transaction that lands a merge.
@Suite(.timeLimit(.minutes(12))) struct ReviewProcessTests {
    struct Claimed: Decodable {
        var session: String
        var clips: [Int64]
    }

    @Test func twoReviewerProcessesClaimingAtTheSameMomentNeverShareAClip() async throws {
        let f = try await ReviewFixture(frameCount: 5000, boundaries: Array(stride(from: 25, to: 5000, by: 25)))
        defer { f.cleanUp() }
        var everyClaim: [Int64] = []
        for round in 0..<4 {
            // Both processes start before either is waited for; each claims 20 clips.
            let outcomes = try await withThrowingTaskGroup(of: HeatersCLI.Outcome.self) { group in
                for reviewer in ["alice", "bob"] {
                    group.addTask {
                        try f.cli(["clip", "claim", "--count", "20", "--json"], reviewer: "\(reviewer)\(round)")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let claims = try outcomes.map { outcome -> Claimed in
                guard outcome.status == 0 else { throw FixtureError("claim failed: \(outcome.output)") }
                return try JSONDecoder().decode(Claimed.self, from: Data(outcome.stdout.utf8))
            }
            #expect(claims.allSatisfy { $0.clips.count == 20 }, "round \(round): \(claims.map(\.clips.count))")
            #expect(Set(claims[0].clips).isDisjoint(with: claims[1].clips), "round \(round): two sessions share a clip")
            everyClaim += claims.flatMap(\.clips)
        }
        #expect(Set(everyClaim).count == everyClaim.count, "a clip was claimed twice across rounds")
        #expect(try f.count("SELECT count(DISTINCT session_id)::int AS n FROM review_claims") == 8)
        let session: String = try f.db.query("SELECT session_id FROM review_claims LIMIT 1").first!.decode("session_id")
        #expect(try f.cli(["clip", "release", "--session", session]).status == 0)
        #expect(try f.count("SELECT count(*)::int AS n FROM review_claims") == 140)
    }

    @Test func aWorkerKilledInsideTheMergeLandingLosesNothingAndTheMergeLandsOnce() async throws {
        let f = try await ReviewFixture()
        defer { f.cleanUp() }
        let (a, b) = (f.clips[1], f.clips[2])
        let merge = try f.cli(["clip", "merge", String(a), "--with", String(b)], window: 0)
        #expect(merge.status == 0, "\(merge.output)")
        let worker = ["--headless", "--until-idle", "--queues", "review=1,media=0,io=0,default=0", "--lease-seconds", "5"]
        let crashed = try HeatersCLI.run(worker, dataDirectory: f.dir,
                                         extra: f.environment(window: 0).merging(["HEATERS_FAILPOINT": "review-land"]) { $1 })
        #expect(crashed.status == SIGKILL, "the failpoint did not kill the worker: \(crashed.status) \(crashed.output)")
        // Killed inside the transaction: nothing of the merge is there, its clips still held.
        #expect(try f.live().map(\.id) == f.clips)
        #expect(try f.count("SELECT count(*)::int AS n FROM clip_lineage") == 0)
        #expect(try f.count("SELECT count(*)::int AS n FROM review_holds") == 2)
        #expect(try f.count("SELECT count(*)::int AS n FROM review_actions WHERE landed_at IS NOT NULL") == 0)

        let restarted = try HeatersCLI.run(worker, dataDirectory: f.dir, extra: f.environment(window: 0))
        #expect(restarted.status == 0, "\(restarted.output)")
        let live = try f.live()
        #expect(live.map(\.start) == [0, 100] && live.map(\.end) == [100, 300])
        #expect(try f.count("SELECT count(*)::int AS n FROM clips WHERE retired_at IS NULL AND start_frame = 100") == 1)
        #expect(try f.count("SELECT count(*)::int AS n FROM clip_lineage WHERE child_clip_id = $1", [live[1].id]) == 2)
        #expect(try f.count("SELECT count(*)::int AS n FROM clips") == 4, "exactly one clip was created")
        #expect(try f.count("SELECT count(*)::int AS n FROM review_holds") == 0)
        let outcomes = try f.db.query("""
            SELECT a.outcome FROM job_attempts a JOIN jobs j ON j.id = a.job_id WHERE j.stage = 'land_review' ORDER BY a.attempt
            """).map { try $0.decode("outcome", as: String.self) }
        #expect(outcomes == ["lost", "completed"])
    }
}
