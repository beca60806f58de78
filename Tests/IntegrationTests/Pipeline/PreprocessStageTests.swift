import Foundation
@testable import Database
@testable import Media
@testable import Storage
import Testing

/// A submitted file goes through download and preprocess in a headless heaters, and any
/// frame of its proxy can then be fetched through the frame index.
@Suite(.timeLimit(.minutes(12))) struct PreprocessStageTests {
    @Test func aSubmittedVideoIsPreprocessedAndItsFramesCanBeFetched() async throws {
        let queue = try await QueueFixture("preprocess-stage")
        defer { queue.cleanUp() }
        let source = try VideoFixtures.testPattern(at: queue.dir.appendingPathComponent("talk.mp4"), seconds: 2, width: 640,
                                                   height: 360, withAudio: true)
        #expect(try HeatersCLI.run(["submit", source.path], dataDirectory: queue.dir).status == 0)
        let worker = try HeatersCLI.launch(["--headless", "--until-idle", "--queues", "io=1,media=1,default=0"],
                                           dataDirectory: queue.dir)
        #expect(queue.waitForExit(worker) == 0)

        let row = try #require(try queue.db.query(
            "SELECT state, error_message, frame_count, gold_master_key, proxy_key, frame_index_key FROM source_videos").first)
        // On a failure, what the source and its jobs said (seen once on a loaded CI machine, not since).
        let jobs = try queue.db.query("SELECT stage || ' ' || state || ' ' || errors::text AS job FROM jobs ORDER BY id")
            .map { try $0.decode("job", as: String.self) }
        let message = try row.decodeIfPresent("error_message", as: String.self) ?? "-"
        #expect(try row.decode("state", as: String.self) == "scenes_detected",
                "preprocessed, then scene detection ran; source: \(message); jobs: \(jobs)")
        #expect(try row.decode("frame_count", as: Int.self) == 50)
        let store = try LocalObjectStore(root: queue.dir.appendingPathComponent("storage"))
        let frames = try FrameSource.open(store: store, proxyKey: try StorageKey(try row.decode("proxy_key")),
                                          indexKey: try StorageKey(try row.decode("frame_index_key")))
        #expect(frames.index.frameCount == 50)
        #expect(frames.index.header.height == 360)
        // Frame n through the index is frame n of a sequential decode of the same proxy.
        let proxyFile = queue.dir.appendingPathComponent("storage").appendingPathComponent(try row.decode("proxy_key", as: String.self))
        let sequential = try FrameSourceTests.sequentialFrames(proxyFile, width: 640, height: 360)
        #expect(sequential.count == 50)
        for n in [0, 1, 24, 49] {
            #expect(Data(try frames.planes(n)) == sequential[n], "frame \(n)")
        }
        let picture = try frames.frame(49, width: 160, height: 90)
        #expect(picture.rgb.count == 160 * 90 * 3)
        #expect(try store.exists(key: try StorageKey(try row.decode("gold_master_key"))))
        // Nothing left over in the scratch folders of the finished run.
        let scratch = queue.dir.appendingPathComponent("tmp")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []).isEmpty)
    }

    /// 12 s of 720p (360 frames): a preprocess pass long enough to be killed in the middle.
    static func submitLongSource(_ queue: QueueFixture) throws {
        let source = queue.dir.appendingPathComponent("long.mp4")
        try VideoFixtures.run(["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-t", "12", "-c:v", "libx264",
                               "-preset", "ultrafast", "-pix_fmt", "yuv420p", source.path])
        #expect(try HeatersCLI.run(["submit", source.path], dataDirectory: queue.dir).status == 0)
    }

    @Test func aKillDuringPreprocessLeavesNoPartialOutputAndARestartFinishes() async throws {
        let queue = try await QueueFixture("preprocess-kill")
        defer { queue.cleanUp() }
        try Self.submitLongSource(queue)
        let doomed = try HeatersCLI.launch(["--headless", "--queues", "io=1,media=1,default=0", "--lease-seconds", "5"],
                                           dataDirectory: queue.dir)
        // Killed in the middle of the pass: progress is past 10 % but the stage has not finished.
        #expect(try queue.waitUntil("""
            SELECT count(*)::int AS n FROM jobs WHERE stage = 'preprocess' AND state = 'running' AND progress > 0.1
            """, equals: 1, timeout: 120))
        kill(doomed.processIdentifier, SIGKILL)
        doomed.waitUntilExit()
        let store = try LocalObjectStore(root: queue.dir.appendingPathComponent("storage"))
        #expect(try store.list(prefix: "sources/1/").map(\.value) == ["sources/1/original.mp4"],
                "no gold master or proxy is stored before the pass completes")
        #expect(try queue.db.query("SELECT proxy_key FROM source_videos").first?.decodeIfPresent("proxy_key", as: String.self) == nil)

        let rescuer = try HeatersCLI.launch(["--headless", "--until-idle", "--queues", "io=1,media=1,default=0", "--lease-seconds", "5"],
                                            dataDirectory: queue.dir)
        #expect(queue.waitForExit(rescuer, timeout: 180) == 0)
        let row = try #require(try queue.db.query("SELECT state, frame_count FROM source_videos").first)
        #expect(try row.decode("state", as: String.self) == "scenes_detected", "preprocessed, then scene detection ran")
        #expect(try row.decode("frame_count", as: Int.self) == 360)
        let outcomes = try queue.db.query("""
            SELECT a.outcome FROM job_attempts a JOIN jobs j ON j.id = a.job_id WHERE j.stage = 'preprocess' ORDER BY a.id
            """).map { try $0.decode("outcome", as: String.self) }
        #expect(outcomes == ["lost", "completed"])
        #expect(try store.list(prefix: "sources/1/").count == 4)
        // The dead run's scratch folder (its partial outputs) was swept at the restart.
        let scratch = queue.dir.appendingPathComponent("tmp")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []).isEmpty)
    }

    /// A crash loop is not the source's fault: a worker killed four times during the same
    /// preprocess (more than the stage's three failure attempts) leaves the job retrying on its
    /// losses budget, shown by `heaters status`, and the next worker finishes it.
    @Test func aWorkerKilledAgainAndAgainDuringPreprocessStillFinishesTheSource() async throws {
        let queue = try await QueueFixture("preprocess-crash-loop")
        defer { queue.cleanUp() }
        try Self.submitLongSource(queue)
        let workers = ["--headless", "--queues", "io=1,media=1,default=0", "--lease-seconds", "3"]
        for kill in 1...4 {
            let doomed = try HeatersCLI.launch(workers, dataDirectory: queue.dir)
            #expect(try queue.waitUntil("""
                SELECT count(*)::int AS n FROM jobs WHERE stage = 'preprocess' AND state = 'running' AND progress > 0.05
                  AND attempt = \(kill)
                """, equals: 1, timeout: 120), "attempt \(kill) running")
            Foundation.kill(doomed.processIdentifier, SIGKILL)
            doomed.waitUntilExit()
        }
        let status = try HeatersCLI.run(["status"], dataDirectory: queue.dir)
        #expect(status.stdout.contains("retried after their worker was lost"), "\(status.output)")
        let rescuer = try HeatersCLI.launch(workers + ["--until-idle"], dataDirectory: queue.dir)
        #expect(queue.waitForExit(rescuer, timeout: 240) == 0)
        let row = try #require(try queue.db.query("SELECT state, error_message FROM source_videos").first)
        let error: String? = try row.decodeIfPresent("error_message")
        #expect(try row.decode("state", as: String.self) == "scenes_detected", "\(error ?? "")")
        let outcomes = try queue.db.query("""
            SELECT a.outcome FROM job_attempts a JOIN jobs j ON j.id = a.job_id WHERE j.stage = 'preprocess' ORDER BY a.id
            """).map { try $0.decode("outcome", as: String.self) }
        #expect(outcomes == ["lost", "lost", "lost", "lost", "completed"])
        let job = try #require(try queue.db.query("SELECT losses, max_attempts FROM jobs WHERE stage = 'preprocess'").first)
        #expect(try job.decode("losses", as: Int.self) == 4 && job.decode("max_attempts", as: Int.self) == 3 + 4)
    }
}
