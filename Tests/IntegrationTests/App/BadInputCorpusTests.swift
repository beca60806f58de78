#if canImport(Glibc)
import Glibc
#endif
@testable import Database
import Foundation
import Testing

/// Every kind of bad source and argument heaters meets, as a table: each command ends with a
/// non-zero status and a message saying what is wrong and what to do, fast, with no crash, no
/// raw Foundation/decoder/SQL error and no password in it; each bad source ends in its stage's
/// `*_failed` state with its message while the good ones beside it finish. Prints
/// "inputs tried: N" and one line per input.
@Suite(.timeLimit(.minutes(12))) struct BadInputCorpusTests {
    /// What a message must never look like: a trap, a raw error of a library, a secret.
    static let raw = ["Fatal error", "Error Domain=", "DecodingError", "NSCocoaErrorDomain", "Stack dump", "SQLSTATE 42"]
    static let secret = "s3cr3t-Pa55"

    struct Command {
        var name: String
        var arguments: [String]
        var environment: [String: String] = [:]
        var expect: String
        var seconds: Double = 30
    }

    final class Report: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ line: String) { lock.withLock { lines.append(line) } }
        func print() {
            let all = lock.withLock { lines }
            Swift.print("inputs tried: \(all.count)")
            all.forEach { Swift.print("  \($0)") }
        }
    }

    @Test func everyBadInputEndsWithAClearMessage() async throws {
        let queue = try await QueueFixture("bad-input")
        defer { queue.cleanUp() }
        let report = Report()
        defer { report.print() }
        try commands(queue, report)
        try pipeline(queue, report)
        try filesChangingWhileRead(queue, report)
        try fullDisk(report)
    }

    // MARK: - Commands

    func commands(_ queue: QueueFixture, _ report: Report) throws {
        let dir = queue.dir
        let media = dir.appendingPathComponent("args")
        try FileManager.default.createDirectory(at: media, withIntermediateDirectories: true)
        let video = try VideoFixtures.testPattern(at: media.appendingPathComponent("ok.mp4"))
        let notMedia = media.appendingPathComponent("notes.txt")
        try Data("not a video".utf8).write(to: notMedia)

        /// An XDG_CONFIG_HOME whose heaters/config.toml is `toml`.
        func config(_ label: String, _ toml: String) throws -> [String: String] {
            let home = dir.appendingPathComponent("xdg-\(label)")
            let file = home.appendingPathComponent("heaters/config.toml")
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(toml.utf8).write(to: file)
            chmod(file.path, 0o600)
            return ["XDG_CONFIG_HOME": home.path]
        }
        let silent = try LoopbackPostgres(.silent)
        defer { silent.stop() }
        let refusing = try LoopbackPostgres(.refusePassword)
        defer { refusing.stop() }
        let fileAsDataDir = dir.appendingPathComponent("a-file")
        try Data("a file, not a folder".utf8).write(to: fileAsDataDir)
        let readOnly = try readOnlyFolder(dir)
        defer { unmount(readOnly) }

        let cases: [Command] = [
            // Sources and arguments of `heaters submit` (the ingest tests' and more).
            Command(name: "submit: a missing file", arguments: ["submit", media.appendingPathComponent("gone.mp4").path], expect: "no such file"),
            Command(name: "submit: a folder", arguments: ["submit", media.path], expect: "is a directory, not a video file"),
            Command(name: "submit: an ftp URL", arguments: ["submit", "ftp://example.com/a.mp4"], expect: "only http(s) URLs and local paths"),
            Command(name: "submit: a URL with no host", arguments: ["submit", "http://"], expect: "not a valid URL"),
            Command(name: "submit: nothing", arguments: ["submit"], expect: "Missing expected argument '<sources> ...'"),
            Command(name: "submit: --title with two sources", arguments: ["submit", "--title", "T", video.path, video.path],
                    expect: "--title goes with a single source"),
            // Other commands' arguments.
            Command(name: "detect: a missing file", arguments: ["detect", media.appendingPathComponent("gone.mp4").path], expect: "no such file"),
            Command(name: "detect: not media", arguments: ["detect", notMedia.path], expect: "cannot be analysed: not a media file"),
            Command(name: "jobs: an unknown state", arguments: ["jobs", "--state", "bogus"], expect: "unknown job state \"bogus\""),
            Command(name: "retry: no such job", arguments: ["retry", "99999"], expect: "there is no job 99999"),
            Command(name: "timeline: no such source", arguments: ["timeline", "999"], expect: "there is no source 999"),
            Command(name: "clip approve: no such clip", arguments: ["clip", "approve", "99999"], expect: "there is no clip 99999"),
            Command(name: "clip split: a frame that is no number", arguments: ["clip", "split", "1", "--at", "abc"],
                    expect: "--at takes a frame number or +N"),
            Command(name: "--queues: a count that is no number", arguments: ["--headless", "--until-idle", "--queues", "media=abc"],
                    expect: "--queues takes name=count pairs"),
            Command(name: "--until-idle without --headless", arguments: ["--until-idle"], expect: "--until-idle needs --headless"),
            Command(name: "--log-level: unknown", arguments: ["status", "--log-level", "loud"], expect: "log level must be one of"),
            Command(name: "--config: a missing file", arguments: ["status", "--config", media.appendingPathComponent("none.toml").path],
                    expect: "does not exist"),
            // Invalid config values.
            Command(name: "config: text where a number goes", arguments: ["status"],
                    environment: try config("type", "[review]\nundo_seconds = \"soon\"\n"),
                    expect: "review.undo_seconds must be a number, not the text \"soon\""),
            Command(name: "config: a number where text goes", arguments: ["status"], environment: try config("type2", "storage = 42\n"),
                    expect: "storage must be text in quotes, not the whole number 42"),
            Command(name: "config: text in a list of numbers", arguments: ["--headless", "--until-idle"],
                    environment: try config("type3", "[keyframes.strategies.ends]\npositions = [0.1, \"end\"]\n"),
                    expect: "keyframes.strategies.ends.positions[1] must be a number, not the text \"end\""),
            Command(name: "config: unknown storage", arguments: ["status"], environment: try config("storage", "storage = \"ftp://bucket\"\n"),
                    expect: "storage must be \"local\" or \"s3://bucket/prefix\""),
            Command(name: "config: negative undo seconds", arguments: ["status"], environment: try config("undo", "[review]\nundo_seconds = -5\n"),
                    expect: "review.undo_seconds must be a number of seconds from 0 to 86400"),
            Command(name: "config: negative crf", arguments: ["--headless", "--until-idle"],
                    environment: try config("crf", "[export.profiles.web]\ncrf = -1\n"), expect: "crf -1 is not 0–51"),
            Command(name: "config: negative model dimension", arguments: ["--headless", "--until-idle"],
                    environment: try config("dim", "[embeddings.models.m]\npath = \"m.onnx\"\ninput_size = [224, 224]\ndimension = -3\n"),
                    expect: "dimension -3 must be at least 1"),
            Command(name: "config: a model without its path", arguments: ["status"],
                    environment: try config("path", "[embeddings.models.m]\ninput_size = [224, 224]\ndimension = 3\n"),
                    expect: "embeddings.models.m.path is missing"),
            Command(name: "config: an unknown setting", arguments: ["status"], environment: try config("key", "[review]\nundo_secs = 5\n"),
                    expect: "unknown setting: review.undo_secs"),
            Command(name: "config: not TOML", arguments: ["status"], environment: try config("toml", "[station\ncolor = 1\n"),
                    expect: "not valid TOML at line 1"),
            // Invalid DATABASE_URL: refused or failing fast, never showing the password.
            Command(name: "DATABASE_URL: a stray word", arguments: ["status"], environment: ["DATABASE_URL": "heaters please"],
                    expect: "DATABASE_URL is not a Postgres URL"),
            Command(name: "DATABASE_URL: another scheme", arguments: ["status"],
                    environment: ["DATABASE_URL": "mysql://heaters:\(Self.secret)@127.0.0.1/heaters"], expect: "is a mysql:// URL, not a Postgres one"),
            Command(name: "DATABASE_URL: a malformed password", arguments: ["status"],
                    environment: ["DATABASE_URL": "postgresql://heaters:\(Self.secret)%zz@127.0.0.1:9/heaters"],
                    expect: "invalid percent-encoded token"),
            Command(name: "DATABASE_URL: a malformed password (doctor)", arguments: ["doctor"],
                    environment: ["DATABASE_URL": "postgresql://heaters:\(Self.secret)%zz@127.0.0.1:9/heaters"],
                    expect: "invalid percent-encoded token"),
            Command(name: "DATABASE_URL: an unclosed IPv6 host", arguments: ["status"],
                    environment: ["DATABASE_URL": "postgresql://heaters:\(Self.secret)@[::1/heaters"], expect: "fix: check DATABASE_URL"),
            Command(name: "DATABASE_URL: nothing listening", arguments: ["submit", video.path],
                    environment: ["DATABASE_URL": "postgresql://heaters:\(Self.secret)@127.0.0.1:9/heaters"], expect: "Connection refused",
                    seconds: 15),
            Command(name: "DATABASE_URL: a server that never answers", arguments: ["--headless", "--until-idle"],
                    environment: ["DATABASE_URL": "postgresql://heaters:\(Self.secret)@127.0.0.1:\(silent.port)/heaters"],
                    expect: "timeout expired", seconds: 25),
            Command(name: "DATABASE_URL: a wrong password", arguments: ["status"],
                    environment: ["DATABASE_URL": "postgresql://heaters:\(Self.secret)@127.0.0.1:\(refusing.port)/heaters?sslmode=disable"],
                    expect: "password authentication failed"),
            Command(name: "--database-url with a password", arguments: ["status", "--database-url", "postgresql://h:\(Self.secret)@127.0.0.1/h"],
                    expect: "--database-url holds a password"),
            // A data dir heaters cannot write (root passes permission bits: a file, a read-only mount).
            Command(name: "data dir: a file", arguments: ["status"], environment: ["HEATERS_DATA_DIR": fileAsDataDir.path],
                    expect: "is a file, not a folder"),
            Command(name: "data dir: under a file", arguments: ["--headless", "--until-idle"],
                    environment: ["HEATERS_DATA_DIR": fileAsDataDir.appendingPathComponent("sub").path], expect: "is a file, not a folder"),
            Command(name: "data dir: read-only (submit)", arguments: ["submit", video.path], environment: ["HEATERS_DATA_DIR": readOnly.path],
                    expect: "Read-only file system"),
            Command(name: "data dir: read-only (workers)", arguments: ["--headless", "--until-idle"],
                    environment: ["HEATERS_DATA_DIR": readOnly.path], expect: "Read-only file system"),
        ]
        for command in cases {
            let started = Date()
            let outcome = try HeatersCLI.runProgram(ProjectPaths.heatersBinary, command.arguments,
                                                    environment: HeatersCLI.environment(dataDirectory: dir, extra: command.environment),
                                                    timeout: command.seconds + 30)
            let seconds = Date().timeIntervalSince(started)
            let output = outcome.output
            let firstLine = output.split(separator: "\n").first.map(String.init) ?? ""
            var problems: [String] = []
            if outcome.status == 0 { problems.append("exit 0") }
            if outcome.status > 125 || outcome.status < 0 { problems.append("killed by a signal (status \(outcome.status))") }
            if !output.contains(command.expect) { problems.append("no \"\(command.expect)\"") }
            if let shown = Self.raw.first(where: output.contains) { problems.append("raw error text \"\(shown)\"") }
            if output.contains(Self.secret) { problems.append("the password shown") }
            if seconds > command.seconds { problems.append(String(format: "took %.1f s (a hang)", seconds)) }
            #expect(problems.isEmpty, "\(command.name): \(problems.joined(separator: ", ")): \(output)")
            report.add("\(problems.isEmpty ? "ok  " : "FAIL") \(command.name): exit \(outcome.status), "
                       + String(format: "%.1f s", seconds) + ": \(firstLine)")
        }
        #expect(refusing.passwords == [Self.secret], "the wrong password was sent, and only to the server")

        // An integer where a fractional number goes is a number: it was refused as a missing key.
        let whole = try HeatersCLI.run(["status"], dataDirectory: dir, extra: try config("whole", """
            [review]
            undo_seconds = 60
            [keyframes.strategies.ends]
            positions = [0, 1]
            """))
        #expect(whole.status == 0, "\(whole.output)")
        report.add("\(whole.status == 0 ? "ok  " : "FAIL") config: whole numbers where fractions go are accepted: exit \(whole.status)")
    }

    /// A folder mounted read-only onto itself: root writes through permission bits, not through this.
    func readOnlyFolder(_ dir: URL) throws -> URL {
        let folder = dir.appendingPathComponent("read-only")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let mounted = try HeatersCLI.runProgram(URL(fileURLWithPath: "/bin/mount"), ["--bind", "-o", "ro", folder.path, folder.path])
        try #require(mounted.status == 0, "a read-only bind mount needs root (CI runs the tests as root): \(mounted.output)")
        return folder
    }

    func unmount(_ folder: URL) {
        _ = try? HeatersCLI.runProgram(URL(fileURLWithPath: "/bin/umount"), [folder.path])
    }

    // MARK: - Sources through the pipeline

    /// Checks each source's final state and message; the others go on.
    func expectSources(_ queue: QueueFixture, _ expected: [String: (state: String, message: String?)], _ report: Report,
                       label: String) throws {
        let rows = try queue.db.query("SELECT title, state, error_message FROM source_videos")
        let byTitle = Dictionary(try rows.map { (try $0.decode("title", as: String.self), $0) }) { first, _ in first }
        for (title, want) in expected.sorted(by: { $0.key < $1.key }) {
            let row = try #require(byTitle[title], "\(title)")
            let state: String = try row.decode("state")
            let message = try row.decodeIfPresent("error_message", as: String.self) ?? ""
            var problems: [String] = []
            if state != want.state { problems.append("state \(state), not \(want.state)") }
            if let fragment = want.message, !message.contains(fragment) { problems.append("no \"\(fragment)\"") }
            if let shown = Self.raw.first(where: message.contains) { problems.append("raw error text \"\(shown)\"") }
            #expect(problems.isEmpty, "\(label) \(title): \(problems.joined(separator: ", ")): \(message)")
            report.add("\(problems.isEmpty ? "ok  " : "FAIL") \(label) \(title): \(state)\(message.isEmpty ? "" : ": \(message.prefix(140))")")
        }
    }

    func pipeline(_ queue: QueueFixture, _ report: Report) throws {
        let media = queue.dir.appendingPathComponent("sources")
        try FileManager.default.createDirectory(at: media, withIntermediateDirectories: true)
        func file(_ name: String) -> URL { media.appendingPathComponent(name) }
        let good = try VideoFixtures.testPattern(at: file("good.mp4"))
        try Data().write(to: file("empty.mp4"))
        try Data("not a video".utf8).write(to: file("notes.mp4"))
        try VideoFixtures.sineAudio(at: file("voice.m4a"))
        try VideoFixtures.run(["-f", "lavfi", "-i", "testsrc2=size=64x64", "-frames:v", "1", file("still.png").path])
        let bytes = try Data(contentsOf: good)
        try bytes.prefix(bytes.count / 3).write(to: file("truncated.mp4"))
        // Enormous dimensions: real (two grey 16000×16000 frames in 0.7 MB) and only claimed
        // by a header (YUV4MPEG's W/H over three 160×120 frames).
        try VideoFixtures.run(["-f", "lavfi", "-i", "color=c=gray:s=16000x16000:r=1", "-frames:v", "2", "-c:v", "libx264",
                               "-preset", "ultrafast", "-pix_fmt", "yuv420p", file("enormous.mp4").path])
        try Self.yuv4mpeg(file("claims-16384.y4m"), header: "W16384 H16384 F25:1", frames: 3)
        // Absurd rates in metadata: 100000 fps and one frame per 11½ days in the header, and an
        // H.264 stream retimed to 100000 fps in MP4.
        try Self.yuv4mpeg(file("rate-100000.y4m"), header: "W160 H120 F100000:1", frames: 25)
        try Self.yuv4mpeg(file("rate-1-per-million-s.y4m"), header: "W160 H120 F1:1000000", frames: 25)
        try VideoFixtures.run(["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25", "-t", "2", "-c:v", "libx264", "-pix_fmt",
                               "yuv420p", "-bsf:v", "h264_mp4toannexb", "-f", "h264", file("plain.h264").path])
        try VideoFixtures.run(["-r", "100000", "-i", file("plain.h264").path, "-c", "copy", file("retimed.mp4").path])
        let names = ["good.mp4", "empty.mp4", "notes.mp4", "voice.m4a", "still.png", "truncated.mp4", "enormous.mp4",
                     "claims-16384.y4m", "rate-100000.y4m", "rate-1-per-million-s.y4m", "retimed.mp4"]
        let submit = try HeatersCLI.run(["submit"] + names.map { file($0).path }, dataDirectory: queue.dir)
        #expect(submit.status == 0, "\(submit.output)")
        let worker = try HeatersCLI.launch(["--headless", "--until-idle", "--queues", "io=2,media=1,default=0"], dataDirectory: queue.dir)
        #expect(queue.waitForExit(worker, timeout: 300) == 0)
        let failed = "download_failed"
        try expectSources(queue, [
            "good": ("scenes_detected", nil),
            "empty": (failed, "is empty (0 bytes)"),
            "notes": (failed, "is not a video file"),
            "voice": (failed, "has no video stream"),
            "still": (failed, "is a still image"),
            "truncated": (failed, "truncated"),
            "enormous": (failed, "is 16000×16000 pixels; heaters takes videos up to 8192 pixels a side: scale it down"),
            "claims-16384": (failed, "is not a video file heaters can read"),
            "rate-100000": (failed, "declares a frame rate of 100000/1"),
            "rate-1-per-million-s": (failed, "declares a frame rate of 1/1000000"),
            "retimed": (failed, "which heaters cannot cut into frames (1–1000 fps): re-encode it"),
        ], report, label: "source")
        // Bad input fails at once: one attempt each, no retries burnt.
        #expect(try queue.count("SELECT max(attempt)::int AS n FROM jobs WHERE state = 'discarded'") == 1)
    }

    /// A YUV4MPEG2 file: `header`'s fields, then `frames` grey 160×120 frames, whatever the
    /// header claims.
    static func yuv4mpeg(_ file: URL, header: String, frames: Int) throws {
        var data = Data("YUV4MPEG2 \(header) Ip A1:1 C420jpeg\n".utf8)
        for n in 0..<frames {
            data += Data("FRAME\n".utf8) + Data(repeating: UInt8(n * 8 % 256), count: 160 * 120) + Data(repeating: 128, count: 160 * 60)
        }
        try data.write(to: file)
    }

    /// The stored originals of two sources change under the preprocess pass reading them: one is
    /// cut to a third, the other has bytes appended past its end. The first fails as truncated,
    /// the second's pass reads what was there and finishes.
    func filesChangingWhileRead(_ queue: QueueFixture, _ report: Report) throws {
        let media = queue.dir.appendingPathComponent("changing")
        try FileManager.default.createDirectory(at: media, withIntermediateDirectories: true)
        var ids: [String: Int64] = [:]
        for name in ["cut-while-read", "grown-while-read"] {
            let file = media.appendingPathComponent("\(name).mp4")
            try VideoFixtures.run(["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-t", "12", "-c:v", "libx264",
                                   "-preset", "ultrafast", "-pix_fmt", "yuv420p", file.path])
            let submitted = try HeatersCLI.run(["submit", "--json", file.path], dataDirectory: queue.dir)
            let list = try JSONSerialization.jsonObject(with: Data(submitted.stdout.utf8)) as? [[String: Any]] ?? []
            ids[name] = try #require((list.first?["id"] as? NSNumber)?.int64Value, "\(submitted.output)")
        }
        let worker = try HeatersCLI.launch(["--headless", "--queues", "io=1,media=2,default=0"], dataDirectory: queue.dir)
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        #expect(try queue.waitUntil("""
            SELECT count(*)::int AS n FROM jobs WHERE stage = 'preprocess' AND state = 'running' AND progress > 0.15
              AND subject_id = ANY($1::bigint[])
            """, ["{\(ids.values.map(String.init).joined(separator: ","))}"], equals: 2, timeout: 180), "both passes under way")
        let storage = queue.dir.appendingPathComponent("storage/sources")
        let cut = storage.appendingPathComponent("\(ids["cut-while-read"]!)/original.mp4")
        let size = try #require((try FileManager.default.attributesOfItem(atPath: cut.path)[.size] as? NSNumber)?.int64Value)
        #expect(truncate(cut.path, off_t(size / 3)) == 0)
        let grown = try FileHandle(forWritingTo: storage.appendingPathComponent("\(ids["grown-while-read"]!)/original.mp4"))
        try grown.seekToEnd()
        try grown.write(contentsOf: Data(repeating: 0x5A, count: 2_000_000))
        try grown.close()
        #expect(try queue.waitUntil("""
            SELECT count(*)::int AS n FROM source_videos WHERE id = ANY($1::bigint[])
              AND state IN ('scenes_detected', 'preprocess_failed', 'detect_scenes_failed')
            """, ["{\(ids.values.map(String.init).joined(separator: ","))}"], equals: 2, timeout: 240))
        kill(worker.processIdentifier, SIGTERM)
        #expect(queue.waitForExit(worker, timeout: 60) == 0)
        try expectSources(queue, ["cut-while-read": ("preprocess_failed", "the file is truncated or corrupt"),
                                  "grown-while-read": ("scenes_detected", nil)], report, label: "changed under preprocess:")
    }

    /// A full disk: the data dir on a 20 MB tmpfs (mode 0700, so the embedded cluster lives
    /// under /var/lib/heaters, off it). The original fits; its lossless gold master does not.
    /// That is an outage, not bad input: the job waits without spending attempts, says where
    /// and what to do, and finishes by itself once the disk has room (the tmpfs grown).
    func fullDisk(_ report: Report) throws {
        let dir = try ProjectPaths.freshDirectory("bad-input-full")
        let mounted = try HeatersCLI.runProgram(URL(fileURLWithPath: "/bin/mount"),
                                                ["-t", "tmpfs", "-o", "size=20m,mode=0700", "tmpfs", dir.path])
        try #require(mounted.status == 0, "a small tmpfs needs root (CI runs the tests as root): \(mounted.output)")
        defer {
            _ = try? HeatersCLI.run(["db", "stop"], dataDirectory: dir)
            // The cluster was relocated under /var/lib/heaters/clusters: remove it with the dir.
            if let cluster = try? FileManager.default.destinationOfSymbolicLink(atPath: dir.appendingPathComponent("postgres").path) {
                try? FileManager.default.removeItem(atPath: cluster)
            }
            unmount(dir)
            try? FileManager.default.removeItem(at: dir)
        }
        let source = ProjectPaths.testRoot.appendingPathComponent("full-disk-\(UUID().uuidString.prefix(8)).mp4")
        defer { try? FileManager.default.removeItem(at: source) }
        try VideoFixtures.run(["-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-t", "4", "-c:v", "libx264", "-preset",
                               "ultrafast", "-pix_fmt", "yuv420p", source.path])
        let submit = try HeatersCLI.run(["submit", "--title", "no-room-for-the-master", source.path], dataDirectory: dir)
        #expect(submit.status == 0, "\(submit.output)")
        let worker = try HeatersCLI.launch(["--headless", "--until-idle", "--queues", "io=1,media=1,default=0"], dataDirectory: dir)
        let queue = QueueFixture(dir: dir, db: try PostgresConnection(conninfo: try EmbeddedPostgres(
            dataDirectory: dir, binaries: try TestDatabase.binaries).conninfo()))
        let postponed = try queue.waitUntil("""
            SELECT count(*)::int AS n FROM jobs WHERE stage = 'preprocess' AND outages >= 1 AND state = 'retryable'
            """, equals: 1, timeout: 240)
        #expect(postponed, "the preprocess job was not put off for the full disk")
        let job = try #require(try queue.db.query("""
            SELECT attempt, max_attempts, errors->-1->>'error' AS error FROM jobs WHERE stage = 'preprocess'
            """).first)
        let message = try job.decodeIfPresent("error", as: String.self) ?? ""
        let attempts: Int32 = try job.decode("attempt"), allowance: Int32 = try job.decode("max_attempts")
        #expect(message.contains("No space left on device") && message.contains("free space there or give heaters a data dir on a larger disk"),
                "\(message)")
        #expect(allowance > attempts, "an outage spends no attempt: \(attempts) of \(allowance)")
        let waiting = try queue.db.query("SELECT state FROM source_videos").first?.decode("state", as: String.self)
        #expect(waiting == "preprocessing" || waiting == "downloaded", "the source waits, not failed: \(waiting ?? "none")")
        report.add("ok   full disk: postponed, attempt \(attempts) of \(allowance): \(message.prefix(140))")

        // Room again: the same job finishes by itself, with nothing partial left behind.
        let grown = try HeatersCLI.runProgram(URL(fileURLWithPath: "/bin/mount"), ["-o", "remount,size=400m", dir.path])
        #expect(grown.status == 0, "\(grown.output)")
        #expect(queue.waitForExit(worker, timeout: 300) == 0)
        try expectSources(queue, ["no-room-for-the-master": ("scenes_detected", nil)], report, label: "full disk, then room:")
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: dir.appendingPathComponent("storage").path)
            .filter { $0.hasSuffix(".part") }
        #expect(leftovers.isEmpty, "no partial objects: \(leftovers)")
    }
}

extension QueueFixture {
    /// The fixture's helpers over a data dir set up some other way (here, on a tmpfs).
    init(dir: URL, db: PostgresConnection) {
        self.dir = dir
        self.db = db
    }
}
