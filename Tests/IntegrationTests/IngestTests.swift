import Foundation
import Testing
@testable import Pipeline

/// `heaters submit` and the download stage, through the real binary: a good file becomes the
/// stored original with its probe; bad input ends in `download_failed` with a message a person
/// understands, and the rest of the queue goes on.
@Suite(.timeLimit(.minutes(5))) struct IngestTests {
    @Test func goodAndBadLocalFilesEachEndWhereTheyShould() async throws {
        let queue = try await QueueFixture("ingest")
        defer { queue.cleanUp() }
        let media = queue.dir.appendingPathComponent("in put's \"media\"")
        try FileManager.default.createDirectory(at: media, withIntermediateDirectories: true)
        let good = try VideoFixtures.testPattern(at: media.appendingPathComponent("Interview 3 — take 'one'.mp4"))
        let empty = media.appendingPathComponent("empty.mp4")
        FileManager.default.createFile(atPath: empty.path, contents: Data())
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
        let submit = try HeatersCLI.run(["submit", "http://127.0.0.1:9/missing.mp4"], dataDirectory: queue.dir)
        #expect(submit.status == 0, "\(submit.output)")
        let worker = try HeatersCLI.launch(["--headless", "--until-idle", "--queues", "io=1,media=0,default=0"],
                                           dataDirectory: queue.dir)
        #expect(queue.waitForExit(worker, timeout: 180) == 0)
        let row = try #require(try queue.db.query("SELECT state, error_message FROM source_videos").first)
        #expect(try row.decode("state", as: String.self) == "download_failed")
        let message: String = try row.decode("error_message")
        #expect(message.contains("yt-dlp could not download http://127.0.0.1:9/missing.mp4"), "\(message)")
    }

    @Test func aURLIsDownloadedWithYtDlp() async throws {
        let queue = try await QueueFixture("ingest-http")
        defer { queue.cleanUp() }
        let site = queue.dir.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        let file = try VideoFixtures.testPattern(at: site.appendingPathComponent("lecture.mp4"), withAudio: true)
        // A plain HTTP server on loopback: yt-dlp's generic extractor fetches the file.
        let port = Int.random(in: 20_000..<40_000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", site.path]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL) }
        usleep(700_000)

        let url = "http://127.0.0.1:\(port)/lecture.mp4"
        #expect(try HeatersCLI.run(["submit", url], dataDirectory: queue.dir).status == 0)
        let worker = try HeatersCLI.launch(["--headless", "--until-idle", "--queues", "io=1,media=0,default=0"],
                                           dataDirectory: queue.dir)
        #expect(queue.waitForExit(worker, timeout: 180) == 0)
        let row = try #require(try queue.db.query("SELECT state, error_message, original_key, has_audio FROM source_videos").first)
        let error = try row.decodeIfPresent("error_message", as: String.self) ?? ""
        #expect(try row.decode("state", as: String.self) == "downloaded", "\(error)")
        #expect(try row.decode("has_audio", as: Bool.self))
        let key: String = try row.decode("original_key")
        #expect(try Data(contentsOf: queue.dir.appendingPathComponent("storage").appendingPathComponent(key)) == Data(contentsOf: file))
        let result: String = try queue.db.query("SELECT result::text AS r FROM jobs WHERE stage = 'download'").first!.decode("r")
        #expect(result.contains("primary"), "the quality-first format was used: \(result)")
    }
}
