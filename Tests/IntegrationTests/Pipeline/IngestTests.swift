import Foundation
@testable import Database
@testable import Media
import Testing

/// `heaters submit` and the download stage, through the real binary: a good file becomes the
/// stored original with its probe; bad input ends in `download_failed` with a message a person
/// understands, and the rest of the queue goes on.
@Suite(.timeLimit(.minutes(12))) struct IngestTests {
    @Test func goodAndBadLocalFilesEachEndWhereTheyShould() async throws {
        let queue = try await QueueFixture("ingest")
        defer { queue.cleanUp() }
        let media = queue.dir.appendingPathComponent("in put's \"media\"")
        try FileManager.default.createDirectory(at: media, withIntermediateDirectories: true)
        let good = try VideoFixtures.testPattern(at: media.appendingPathComponent("Interview 3 — take 'one'.mp4"))
        let empty = media.appendingPathComponent("empty.mp4")
        try Data().write(to: empty)
        let text = media.appendingPathComponent("notes.mp4")
        try "not a video".write(to: text, atomically: true, encoding: .utf8)
        let audio = try VideoFixtures.sineAudio(at: media.appendingPathComponent("voice.m4a"))
        let still = media.appendingPathComponent("still.png")
        try VideoFixtures.run(["-f", "lavfi", "-i", "testsrc2=size=64x64", "-frames:v", "1", still.path])
        let truncated = media.appendingPathComponent("truncated.mp4")
        let bytes = try Data(contentsOf: good)
        try bytes.prefix(bytes.count / 3).write(to: truncated)

        let inputs = [good, empty, text, audio, still, truncated].map(\.path)
        let submit = try HeatersCLI.run(["submit", "--json"] + inputs + [media.appendingPathComponent("missing.mp4").path],
                                        dataDirectory: queue.dir)
        #expect(submit.status == 1, "one argument was a missing file")
        #expect(submit.stdout.contains("no such file"))
        let worker = try HeatersCLI.launch(["--headless", "--until-idle", "--queues", "io=2,media=0,default=0"],
                                           dataDirectory: queue.dir)
        #expect(queue.waitForExit(worker) == 0)

        let rows = try queue.db.query("SELECT id, title, state, error_message, original_key, fps, width, height, has_audio, duration_seconds FROM source_videos ORDER BY id")
        #expect(rows.count == 6)
        let byTitle = Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode("title", as: String.self), $0) })
        let ok = try #require(byTitle["Interview 3 — take 'one'"])
        #expect(try ok.decode("state", as: String.self) == "downloaded")
        #expect(try ok.decode("fps", as: Double.self) == 25)
        #expect(try ok.decode("width", as: Int.self) == 320)
        #expect(try ok.decode("height", as: Int.self) == 240)
        let key: String = try ok.decode("original_key")
        #expect(try Data(contentsOf: queue.dir.appendingPathComponent("storage").appendingPathComponent(key)) == bytes)

        let expectations = ["empty": "is empty (0 bytes)", "notes": "is not a video file", "voice": "has no video stream",
                            "still": "is a still image", "truncated": "truncated"]
        for (title, phrase) in expectations {
            let row = try #require(byTitle[title], "\(title)")
            #expect(try row.decode("state", as: String.self) == "download_failed", "\(title)")
            let message = try row.decodeIfPresent("error_message", as: String.self) ?? ""
            if title == "truncated" {
                #expect(!message.isEmpty, "a truncated file gets a message")
            } else {
                #expect(message.contains(phrase), "\(title): \(message)")
            }
        }
        // `heaters sources` shows each with its state, error and file location.
        let listed = try HeatersCLI.run(["sources", "--json"], dataDirectory: queue.dir)
        #expect(listed.status == 0, "\(listed.output)")
        let sources = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(sources.count == 6)
        let stored = sources.first { ($0["source"] as? [String: Any])?["state"] as? String == "downloaded" }
        let original = try #require(stored?["original"] as? String)
        #expect(FileManager.default.fileExists(atPath: original), "\(original)")
        #expect(sources.filter { ($0["source"] as? [String: Any])?["error"] is String }.count == 5)

        // Bad input fails at once: one attempt each, no retries burnt.
        #expect(try queue.count("SELECT max(attempt)::int AS n FROM jobs WHERE state = 'discarded'") == 1)
    }

    @Test func aURLYtDlpCannotFetchFailsWithItsReason() async throws {
        let queue = try await QueueFixture("ingest-url")
        defer { queue.cleanUp() }
        // A port nothing listens on: yt-dlp's generic extractor fails to connect.
        // With credentials and a signed token, which nothing shown may carry.
        let submit = try HeatersCLI.run(["submit", "http://alice:hunter2@127.0.0.1:9/missing.mp4?token=s3cr3t"], dataDirectory: queue.dir)
        #expect(submit.status == 0, "\(submit.output)")
        let worker = try HeatersCLI.launch(["--headless", "--until-idle", "--queues", "io=1,media=0,default=0"],
                                           dataDirectory: queue.dir)
        #expect(queue.waitForExit(worker, timeout: 180) == 0)
        let row = try #require(try queue.db.query("SELECT state, error_message FROM source_videos").first)
        #expect(try row.decode("state", as: String.self) == "download_failed")
        let message: String = try row.decode("error_message")
        #expect(message.contains("yt-dlp could not download http://***@127.0.0.1:9/missing.mp4?…"), "\(message)")
        for shown in [submit.output, message, try HeatersCLI.run(["status"], dataDirectory: queue.dir).output,
                      try HeatersCLI.run(["status", "--json"], dataDirectory: queue.dir).output,
                      try HeatersCLI.run(["sources", "--json"], dataDirectory: queue.dir).output] {
            #expect(!shown.contains("hunter2") && !shown.contains("s3cr3t"), "a secret shown: \(shown)")
        }
    }

    @Test func aURLIsDownloadedWithYtDlp() async throws {
        let queue = try await QueueFixture("ingest-http")
        defer { queue.cleanUp() }
        // A yt-dlp config the user has for other work (here one that downloads nothing) must
        // not change what heaters fetches: yt-dlp runs with --ignore-config.
        let config = queue.dir.appendingPathComponent("config/yt-dlp")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try Data("--simulate\n".utf8).write(to: config.appendingPathComponent("config"))
        // An earlier attempt's original under another extension (yt-dlp chose another format
        // then): once this one is recorded, that one is an orphan and goes.
        let earlier = queue.dir.appendingPathComponent("storage/sources/1/original.webm")
        try FileManager.default.createDirectory(at: earlier.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("an earlier attempt".utf8).write(to: earlier)
        let file = try downloadOverLoopback(queue) { site in
            try VideoFixtures.testPattern(at: site.appendingPathComponent("lecture.mp4"), withAudio: true)
        }
        let row = try #require(try queue.db.query("SELECT state, error_message, original_key, has_audio FROM source_videos").first)
        let error = try row.decodeIfPresent("error_message", as: String.self) ?? ""
        #expect(try row.decode("state", as: String.self) == "downloaded", "\(error)")
        #expect(try row.decode("has_audio", as: Bool.self))
        let key: String = try row.decode("original_key")
        #expect(try Data(contentsOf: queue.dir.appendingPathComponent("storage").appendingPathComponent(key)) == Data(contentsOf: file))
        #expect(key == "sources/1/original.mp4" && !FileManager.default.fileExists(atPath: earlier.path), "no orphaned original")
        let result: String = try queue.db.query("SELECT result::text AS r FROM jobs WHERE stage = 'download'").first!.decode("r")
        let fields = try JSONSerialization.jsonObject(with: Data(result.utf8)) as? [String: Any] ?? [:]
        #expect(fields["method"] as? String == "primary", "the quality-first format was used: \(result)")
        #expect(fields["normalized"] as? String == "none", "a clean download is stored as fetched: \(result)")
        #expect(fields["normalize_reason"] as? String == "decodes cleanly", "\(result)")
    }

    /// Serves the file `make` writes into a folder over loopback HTTP (yt-dlp's generic
    /// extractor fetches it), submits its URL and runs a download worker until idle.
    private func downloadOverLoopback(_ queue: QueueFixture, _ make: (URL) throws -> URL) throws -> URL {
        let site = queue.dir.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        let file = try make(site)
        let server = try LoopbackHTTPServer(serving: site)
        defer { server.stop() }
        #expect(try HeatersCLI.run(["submit", server.url(file.lastPathComponent)], dataDirectory: queue.dir).status == 0)
        let worker = try HeatersCLI.launch(["--headless", "--until-idle", "--queues", "io=1,media=0,default=0"],
                                           dataDirectory: queue.dir)
        #expect(queue.waitForExit(worker, timeout: 240) == 0)
        return file
    }

    @Test func aDamagedPrimaryDownloadIsNormalizedBeforeItIsStored() async throws {
        let queue = try await QueueFixture("ingest-normalize")
        defer { queue.cleanUp() }
        let damaged = try downloadOverLoopback(queue) { site in
            try DamagedMedia.damagedPattern(in: site, span: 0.45...0.47, name: "talk.mp4")
        }
        let row = try #require(try queue.db.query("SELECT state, error_message, original_key, has_audio FROM source_videos").first)
        let error = try row.decodeIfPresent("error_message", as: String.self) ?? ""
        #expect(try row.decode("state", as: String.self) == "downloaded", "\(error)")
        #expect(try row.decode("has_audio", as: Bool.self))
        let key: String = try row.decode("original_key")
        #expect(key.hasSuffix("original.mp4"))
        let stored = queue.dir.appendingPathComponent("storage").appendingPathComponent(key)
        #expect(try Data(contentsOf: stored) != Data(contentsOf: damaged), "the repaired file is stored, not the download")
        #expect(try DecodeCheck.run(path: stored.path).isClean)
        #expect((240...250).contains(try VideoProbe.countDecodedFrames(path: stored.path)))

        let result: String = try queue.db.query("SELECT result::text AS r FROM jobs WHERE stage = 'download'").first!.decode("r")
        let fields = try JSONSerialization.jsonObject(with: Data(result.utf8)) as? [String: Any] ?? [:]
        #expect(fields["method"] as? String == "primary", "\(result)")
        #expect(fields["normalized"] as? String == "reencode", "\(result)")
        #expect((fields["normalize_reason"] as? String ?? "").contains("video decoding error"), "\(result)")
    }

    @Test func aPathThatIsNotUTF8IsSubmittedAndDownloadedByItsBytes() async throws {
        let queue = try await QueueFixture("ingest-latin1")
        defer { queue.cleanUp() }
        let media = queue.dir.appendingPathComponent("media")
        try FileManager.default.createDirectory(at: media, withIntermediateDirectories: true)
        let plain = try VideoFixtures.testPattern(at: media.appendingPathComponent("plain.mp4"))
        let bytes = try Data(contentsOf: plain)
        // "café take.mp4" in Latin-1: 0xE9 alone is not UTF-8, so no Swift String can name it.
        let rawName = Array(media.path.utf8) + Array("/caf".utf8) + [0xE9] + Array(" take.mp4".utf8)
        let renamed = plain.path.withCString { from in
            (rawName.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { rename(from, $0.baseAddress!) }
        }
        try #require(renamed == 0, "rename(2): \(String(cString: strerror(errno)))")

        let submit = try HeatersCLI.run(rawArguments: [Array("submit".utf8), rawName], dataDirectory: queue.dir)
        #expect(submit.status == 0, "\(submit.output)")
        let submitted = try #require(try queue.db.query("SELECT title, source_uri FROM source_videos").first)
        #expect(try submitted.decode("title", as: String.self) == "caf\u{FFFD} take")
        #expect(try submitted.decode("source_uri", as: String.self) == "file://\(media.path)/caf%E9%20take.mp4")

        let worker = try HeatersCLI.launch(["--headless", "--until-idle", "--queues", "io=1,media=0,default=0"],
                                           dataDirectory: queue.dir)
        #expect(queue.waitForExit(worker) == 0)
        let row = try #require(try queue.db.query("SELECT state, error_message, original_key FROM source_videos").first)
        let error = try row.decodeIfPresent("error_message", as: String.self) ?? ""
        #expect(try row.decode("state", as: String.self) == "downloaded", "\(error)")
        let key: String = try row.decode("original_key")
        #expect(key.hasSuffix("original.mp4"))
        #expect(try Data(contentsOf: queue.dir.appendingPathComponent("storage").appendingPathComponent(key)) == bytes)

        // A missing file whose name is not UTF-8 fails at submit, checked by its bytes, with the usual message.
        let missing = Array(media.path.utf8) + Array("/gon".utf8) + [0xE9] + Array(".mp4".utf8)
        let refused = try HeatersCLI.run(rawArguments: [Array("submit".utf8), missing], dataDirectory: queue.dir)
        #expect(refused.status == 1 && refused.stderr.contains("no such file"), "\(refused.output)")
    }
}
