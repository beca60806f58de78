import Foundation
import Testing
@testable import Database

/// The detect-scenes stage in a headless heaters: a submitted source goes through download,
/// preprocess and detection, and ends with one virtual clip per scene.
@Suite(.timeLimit(.minutes(12))) struct DetectScenesStageTests {
    static let workers = ["--headless", "--until-idle", "--queues", "io=1,media=1,default=0", "--lease-seconds", "5"]

    /// The live clips of source 1 as (start, end) frame pairs, in order.
    static func clips(_ queue: QueueFixture) throws -> [[Int]] {
        try queue.db.query("""
            SELECT start_frame, end_frame FROM clips WHERE source_video_id = 1 AND retired_at IS NULL ORDER BY start_frame
            """).map { [try $0.decode("start_frame"), try $0.decode("end_frame")] }
    }

    /// Clips that start at 0, end at the last frame, and each start where the previous ended.
    static func expectCoverage(_ clips: [[Int]], frames: Int) {
        #expect(clips.first?.first == 0)
        #expect(clips.last?.last == frames)
        for (a, b) in zip(clips, clips.dropFirst()) { #expect(a[1] == b[0], "\(a) then \(b)") }
    }

    @Test func aSourceEndsWithOneVirtualClipPerSceneAndARerunCreatesNothingTwice() async throws {
        let queue = try await QueueFixture("detect-stage")
        defer { queue.cleanUp() }
        let source = try SceneFixtures.hardCuts(at: queue.dir.appendingPathComponent("shots.mp4"), count: 4, seconds: 2)
        #expect(try HeatersCLI.run(["submit", source.path], dataDirectory: queue.dir).status == 0)
        #expect(queue.waitForExit(try HeatersCLI.launch(Self.workers, dataDirectory: queue.dir), timeout: 240) == 0)

        let row = try #require(try queue.db.query("""
            SELECT state, frame_count, scene_detection->>'detector' AS detector, scene_detection->>'scenes' AS scenes
            FROM source_videos
            """).first)
        #expect(try row.decode("state", as: String.self) == "scenes_detected")
        #expect(try row.decode("frame_count", as: Int.self) == 200)
        #expect(try row.decode("detector", as: String.self) == "default")
        #expect(try row.decode("scenes", as: String.self) == "4")
        let clips = try Self.clips(queue)
        #expect(clips == [[0, 50], [50, 100], [100, 150], [150, 200]])
        #expect(try queue.count("SELECT count(*)::int AS n FROM clips WHERE state = 'pending_review' AND is_virtual") == 4)
        let seconds = try queue.db.query("SELECT start_seconds, end_seconds FROM clips ORDER BY start_frame").map {
            [try $0.decode("start_seconds", as: Double.self), try $0.decode("end_seconds", as: Double.self)]
        }
        #expect(seconds == [[0, 2], [2, 4], [4, 6], [6, 8]])

        // A crash after the clips were committed but before the job completed leaves the
        // source in its working state; the rerun finds the clips and creates none.
        try queue.db.execute("UPDATE source_videos SET state = 'detecting_scenes'")
        #expect(queue.waitForExit(try HeatersCLI.launch(Self.workers, dataDirectory: queue.dir), timeout: 120) == 0)
        #expect(try Self.clips(queue) == clips)
        let results = try queue.db.query("SELECT result::text AS r FROM jobs WHERE stage = 'detect_scenes' ORDER BY id")
            .map { try $0.decode("r", as: String.self) }
        #expect(results.count == 2)
        #expect(results.last?.contains("\"clips_created\": 0") == true, "\(results)")
        #expect(try queue.db.query("SELECT state FROM source_videos").first?.decode("state", as: String.self) == "scenes_detected")
    }

    @Test func aKillDuringDetectionThenARestartLeavesExactlyOneSetOfClips() async throws {
        let queue = try await QueueFixture("detect-kill")
        defer { queue.cleanUp() }
        let source = try SceneFixtures.hardCuts(at: queue.dir.appendingPathComponent("long.mp4"), count: 5, seconds: 12)
        #expect(try HeatersCLI.run(["submit", source.path], dataDirectory: queue.dir).status == 0)
        let doomed = try HeatersCLI.launch(Array(Self.workers.filter { $0 != "--until-idle" }), dataDirectory: queue.dir)
        #expect(try queue.waitUntil("""
            SELECT count(*)::int AS n FROM jobs WHERE stage = 'detect_scenes' AND state = 'running' AND progress > 0.1
            """, equals: 1, timeout: 240))
        kill(doomed.processIdentifier, SIGKILL)
        doomed.waitUntilExit()
        #expect(try Self.clips(queue).isEmpty, "no clip is written before the pass completes")

        #expect(queue.waitForExit(try HeatersCLI.launch(Self.workers, dataDirectory: queue.dir), timeout: 240) == 0)
        let clips = try Self.clips(queue)
        #expect(clips.map(\.first) == [0, 300, 600, 900, 1200])
        Self.expectCoverage(clips, frames: 1500)
        #expect(try queue.count("SELECT count(*)::int AS n FROM clips") == 5, "one set, nothing retired or doubled")
        let outcomes = try queue.db.query("""
            SELECT a.outcome FROM job_attempts a JOIN jobs j ON j.id = a.job_id WHERE j.stage = 'detect_scenes' ORDER BY a.id
            """).map { try $0.decode("outcome", as: String.self) }
        #expect(outcomes == ["lost", "completed"])
    }
}
