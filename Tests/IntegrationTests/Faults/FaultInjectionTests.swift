@testable import Database
@testable import Config
import Foundation
import Storage
import Testing

/// The whole pipeline under faults, through the built binary: three generated sources go
/// download → preprocess → detect → review decisions made with `heaters clip` → export →
/// keyframes → embed → archive, on S3 (moto) behind a proxy that refuses (503) and cuts a
/// share of requests, with three headless workers that the harness SIGKILLs at random
/// moments, starts with failpoints that kill them inside a download (after its put), between
/// the preprocess puts, inside a completing transaction, after an export's put and after an
/// archive's commit, and with one restart of the database under them. At the end: every
/// source cut, every approved clip exported once, archived clips' objects gone, the bucket
/// holding exactly the objects the database names, no job discarded, stuck or running.
@Suite(.timeLimit(.minutes(12))) struct FaultInjectionTests {
    @Test func theWholePipelineLosesNothingUnderKillsARestartAndAFaultyStore() async throws {
        let queue = try await QueueFixture("faults")
        defer { queue.cleanUp() }
        let s3 = try MotoServer(directory: queue.dir)
        defer { s3.stop() }
        let proxy = try FaultyS3Proxy(upstream: s3.endpoint)
        defer { proxy.stop() }
        let aws = AWSSettings(accessKeyID: "test-key", secretAccessKey: "test-secret", sessionToken: nil, region: "us-east-1",
                              endpointURL: s3.endpoint)
        let bucket = try S3ObjectStore(url: "s3://heaters-faults/lib", aws: aws)  // straight to moto: the truth
        try bucket.createBucket()
        let environment = ["HEATERS_STORAGE": "s3://heaters-faults/lib", "AWS_ENDPOINT_URL": proxy.endpoint,
                           "AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret", "AWS_REGION": "us-east-1",
                           "HEATERS_UNDO_SECONDS": "0"]
        for n in 0..<3 {
            let video = try SceneFixtures.hardCuts(at: queue.dir.appendingPathComponent("source-\(n).mp4"), count: 3, seconds: 4)
            let submit = try HeatersCLI.run(["submit", "--title", "faults \(n)", video.path], dataDirectory: queue.dir, extra: environment)
            try #require(submit.status == 0, "\(submit.output)")
        }
        let harness = try FaultHarness(dir: queue.dir, environment: environment)
        defer { harness.stopAll() }
        try proxy.set(unavailable: 0.05, cut: 0.05)

        // The front half, with a database restart after the first random kill.
        try harness.arm(["download-stored", "job-commit", "preprocess-stored"])
        let cut = try harness.run(until: "SELECT count(*)::int AS n FROM source_videos WHERE state = 'scenes_detected'", equals: 3,
                                  kills: 6, restartDatabaseAfter: 1, timeout: 300)
        #expect(cut, "every source cut:\n\(harness.logTail())")
        try #require(cut)

        // Review with heaters clip: per source, the first two clips approved, the rest skipped.
        let clips: [(id: Int64, source: Int64)] = try harness.db.query("""
            SELECT id, source_video_id FROM clips WHERE retired_at IS NULL ORDER BY source_video_id, start_frame
            """).map { (try $0.decode("id"), try $0.decode("source_video_id")) }
        let bySource = Dictionary(grouping: clips, by: \.source).values.map { $0.map(\.id) }
        let approved = bySource.flatMap { $0.prefix(2) }, skipped = bySource.flatMap { $0.dropFirst(2) }
        #expect(approved.count == 6 && !skipped.isEmpty, "\(clips)")
        for (verb, ids) in [("approve", approved), ("skip", skipped)] {
            let decided = try HeatersCLI.run(["clip", verb] + ids.map(String.init) + ["--reviewer", "faults"], dataDirectory: queue.dir,
                                             extra: environment)
            #expect(decided.status == 0, "\(decided.output)")
        }
        try harness.arm(["export-stored", "keyframes-stored"])
        let embedded = try harness.run(until: "SELECT count(*)::int AS n FROM clips WHERE state = 'embedded'", equals: approved.count,
                                       kills: 4, timeout: 300)
        #expect(embedded, "every approved clip exported, keyframed and embedded:\n\(harness.logTail())")
        try #require(embedded)

        // One exported clip of each source archived: its objects go.
        let archived = bySource.map { $0[0] }
        let archive = try HeatersCLI.run(["clip", "archive"] + archived.map(String.init) + ["--reviewer", "faults"],
                                         dataDirectory: queue.dir, extra: environment)
        #expect(archive.status == 0, "\(archive.output)")
        try harness.arm(["archive-committed"])
        let gone = try harness.run(until: "SELECT count(*)::int AS n FROM clips WHERE state = 'archived'", equals: archived.count,
                                   kills: 2, timeout: 240)
        #expect(gone, "every archived clip withdrawn:\n\(harness.logTail())")

        // Faults off, the workers stopped; one more pass finishes anything left.
        try proxy.set(unavailable: 0, cut: 0)
        harness.stopAll()
        let drain = try HeatersCLI.run(["--headless", "--until-idle", "--queues", "io=1,media=1,review=1,default=0"],
                                       dataDirectory: queue.dir, extra: environment)
        #expect(drain.status == 0, "\(drain.output)")
        let db = try FaultHarness.connect(queue.dir)

        // Nothing lost, nothing twice, nothing stuck.
        #expect(try db.query("SELECT state FROM source_videos").map { try $0.decode("state", as: String.self) }
                == ["scenes_detected", "scenes_detected", "scenes_detected"])
        for clip in approved {
            let exports = try db.query("SELECT count(*)::int AS n FROM jobs WHERE stage = 'export' AND subject_id = $1 AND state = 'completed'",
                                       [clip]).first!.decode("n", as: Int.self)
            #expect(exports == 1, "clip \(clip) exported \(exports) times")
        }
        let states = try db.query("SELECT id, state FROM clips WHERE retired_at IS NULL").reduce(into: [Int64: String]()) {
            $0[try $1.decode("id")] = try $1.decode("state")
        }
        for clip in approved { #expect(states[clip] == (archived.contains(clip) ? "archived" : "embedded"), "clip \(clip): \(states[clip] ?? "?")") }
        for clip in skipped { #expect(states[clip] == "review_skipped") }
        let jobs = try db.query("SELECT state, count(*)::int AS n FROM jobs GROUP BY state").reduce(into: [String: Int]()) {
            $0[try $1.decode("state")] = try $1.decode("n")
        }
        #expect(jobs["discarded", default: 0] == 0 && jobs["running", default: 0] == 0 && jobs["available", default: 0] == 0
                && jobs["retryable", default: 0] == 0 && jobs["scheduled", default: 0] == 0, "\(jobs)")

        // The bucket holds exactly what the database names: no orphan, nothing missing.
        let named = Set(try db.query("""
            SELECT unnest(ARRAY[original_key, gold_master_key, proxy_key, frame_index_key]) AS key FROM source_videos
            UNION SELECT clip_key FROM clips WHERE clip_key IS NOT NULL AND retired_at IS NULL
            UNION SELECT storage_key FROM clip_artifacts
            """).compactMap { try $0.decodeIfPresent("key", as: String.self) })
        let stored = Set(try bucket.list(prefix: "").map { (key: StorageKey) in key.value })
        #expect(stored == named, "orphans: \(stored.subtracting(named).sorted()); missing: \(named.subtracting(stored).sorted())")
        for clip in archived {
            #expect(!stored.contains { $0.hasPrefix("clips/\(clip)/") }, "archived clip \(clip) left objects")
        }
        let interrupted = try bucket.unfinishedUploads().count
        try bucket.abortAbandonedUploads(olderThan: 0)
        #expect(try bucket.unfinishedUploads().isEmpty)

        let counters = try proxy.counters()
        let recovered = try db.query("""
            SELECT count(*) FILTER (WHERE losses > 0)::int AS lost, count(*) FILTER (WHERE outages > 0)::int AS put_off,
                   coalesce(sum(losses), 0)::int AS losses, coalesce(sum(outages), 0)::int AS outages,
                   count(*) FILTER (WHERE attempt > 1)::int AS retried FROM jobs
            """).first!
        let kills = Dictionary(grouping: harness.faults, by: { $0 }).map { "\($0.value.count)× \($0.key)" }.sorted()
        print("""
            fault injection: \(harness.faults.count) process faults: \(kills.joined(separator: ", "));
              store: \(counters.requests) requests, \(counters.unavailable) answered 503, \(counters.cut_before) cut before the store saw them, \
            \(counters.cut_after) cut after; \(interrupted) interrupted multipart uploads;
              recovered: \(try recovered.decode("lost", as: Int.self)) jobs after \(try recovered.decode("losses", as: Int.self)) lost workers, \
            \(try recovered.decode("put_off", as: Int.self)) jobs after \(try recovered.decode("outages", as: Int.self)) outages, \
            \(try recovered.decode("retried", as: Int.self)) jobs retried; lost 0 of \(approved.count) approved clips, orphans \
            \(stored.subtracting(named).count), \(stored.count) objects
            """)
        #expect(harness.faults.count >= 6 && harness.faults.contains("database restart"), "\(harness.faults)")
        #expect(counters.faults > 0)
    }
}
