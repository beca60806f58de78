@testable import Database
import Domain
import Foundation
import Testing

/// What users type and what the machine holds secret, through the real binary: hostile text
/// (quotes, `;`, SQL, shell syntax) in titles, URLs, tags, reviewer names and timeline paths is
/// stored and shown as given and runs nothing; no code path starts a shell; no secret (the S3
/// secret key and session token, the database password) reaches logs, `status`, `doctor`,
/// `db url`, listings or errors, even at debug level.
@Suite(.timeLimit(.minutes(12))) struct SecurityTests {
    /// SQL, quotes and shell syntax at once; the marker file would exist if any of it ran.
    static func hostile(_ marker: URL) -> String {
        #"Bobby'); DROP TABLE clips; -- "quoted" ; rm -rf ~ $(touch "#  + marker.path + #") `touch "# + marker.path + #"` \"#
    }

    /// A row of `heaters sources --json`.
    struct Row: Decodable {
        struct Source: Decodable {
            var title: String
            var source: String
        }
        var source: Source
    }

    @Test func hostileTextIsStoredAndShownAsGivenAndRunsNothing() throws {
        let dir = try ProjectPaths.freshDirectory("security-text")
        defer { HeatersCLI.stopAndRemove(dir) }
        let db = try StatusCommandTests.database(dir)
        let marker = dir.appendingPathComponent("pwned-\(UUID().uuidString.prefix(8))")
        let text = Self.hostile(marker)

        // Title and URL through submit (no worker runs: nothing is downloaded).
        let url = "https://example.invalid/watch?v=1';DROP TABLE jobs;--&t=\"2\"&x=$(touch%20\(marker.lastPathComponent))"
        let submit = try HeatersCLI.run(["submit", "--title", text, url], dataDirectory: dir)
        #expect(submit.status == 0, "\(submit.output)")
        let stored = try #require(try db.query("SELECT title, source_uri FROM source_videos").first)
        #expect(try stored.decode("title", as: String.self) == text)
        #expect(try stored.decode("source_uri", as: String.self) == url)
        let listing = try HeatersCLI.run(["sources", "--json"], dataDirectory: dir)
        #expect(listing.status == 0, "\(listing.output)")
        let rows = try JSONDecoder().decode([Row].self, from: Data(listing.stdout.utf8))
        #expect(rows.map(\.source.title) == [text] && rows.map(\.source.source) == [URLRedaction.redacted(url)],
                "listed as given, its query (which may hold a token) left out: \(listing.stdout)")

        // Tags and reviewer names through the review commands.
        let source = try Rows.source(db, title: text)
        let clip = try Rows.clip(db, source: source, frames: 0..<50)
        let shortText = #"x'); DROP TABLE clips;-- "q"; $(id) `id`"#  // a tag has at most 64 characters
        let tag = try HeatersCLI.run(["clip", "tag", String(clip), "--tag", shortText, "--reviewer", text], dataDirectory: dir)
        #expect(tag.status == 0, "\(tag.output)")
        let approve = try HeatersCLI.run(["clip", "approve", String(clip), "--reviewer", text], dataDirectory: dir)
        #expect(approve.status == 0, "\(approve.output)")
        let reviewers: [String] = try db.query("SELECT DISTINCT reviewer FROM review_actions").map { try $0.decode("reviewer") }
        #expect(reviewers == [text])
        let tags: [String] = try db.query("SELECT unnest(tags) AS tag FROM clips WHERE id = $1", [clip]).map { try $0.decode("tag") }
        #expect(tags == [shortText])
        let log = try HeatersCLI.run(["clip", "log", "--reviewer", text], dataDirectory: dir)
        #expect(log.status == 0 && log.stdout.contains("Bobby'); DROP TABLE clips;"), "\(log.output)")

        // A timeline written to a path full of the same.
        let folder = dir.appendingPathComponent("cut'; rm -rf ~; $(id)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try db.execute("""
            UPDATE source_videos SET original_key = 'sources/' || id || '/original.mp4', gold_master_key = 'sources/' || id || '/gold.mkv'
            WHERE id = $1
            """, [source])
        let file = folder.appendingPathComponent("reel \"1\"; `id`.otio")
        let timeline = try HeatersCLI.run(["timeline", String(source), "--clips", "all", "-o", file.path], dataDirectory: dir)
        #expect(timeline.status == 0, "\(timeline.output)")
        #expect(FileManager.default.fileExists(atPath: file.path), "written at exactly the path given")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [file.lastPathComponent])

        // Nothing ran and nothing was dropped.
        #expect(!FileManager.default.fileExists(atPath: marker.path), "some text was run by a shell")
        for table in ["clips", "jobs", "source_videos", "review_actions"] {
            #expect(try db.query("SELECT to_regclass($1)::text AS t", [table]).first?.decodeIfPresent("t", as: String.self) == table)
        }
    }

    /// Every program heaters starts is given as an argument vector: no source file starts a
    /// shell or hands a command line to one (`system`, `popen`, `sh -c`, `bash -c`). (Python's
    /// `-c`, which the yt-dlp parent watch uses, takes Python code, not a command line.)
    @Test func noCodePathStartsAShell() throws {
        let sources = ProjectPaths.root.appendingPathComponent("Sources")
        let walker = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        let forbidden = [#"\bsystem\s*\("#, #"\bpopen\s*\("#, #"\bexecl\w*\s*\("#, #""/bin/(ba|da|z)?sh""#, #""(ba|da|z)?sh"\s*,\s*"-c""#,
                         #"shell\s*=\s*True"#, #"os\.system"#]
        var read = 0, found: [String] = []
        for case let file as URL in walker where ["swift", "c", "cpp", "h", "py"].contains(file.pathExtension) {
            let text = try String(contentsOf: file, encoding: .utf8)
            read += 1
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                guard !code.hasPrefix("//"), !code.hasPrefix("///"), !code.hasPrefix("#") || file.pathExtension != "py" else { continue }
                for pattern in forbidden where code.range(of: pattern, options: .regularExpression) != nil {
                    found.append("\(file.path.replacingOccurrences(of: sources.path + "/", with: "")):\(number + 1): \(code)")
                }
            }
        }
        #expect(read > 100, "the audit read \(read) files")
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    @Test func noSecretInLogsStatusDoctorListingsOrErrors() async throws {
        let dir = try ProjectPaths.freshDirectory("security-secrets")
        defer { HeatersCLI.stopAndRemove(dir) }
        let s3 = try MotoServer(directory: dir)
        defer { s3.stop() }
        let db = try StatusCommandTests.database(dir)
        let password = "pw-\(UUID().uuidString.prefix(12))", secretKey = "sk-\(UUID().uuidString)", token = "tok-\(UUID().uuidString)"
        // The embedded cluster on its socket, with a password in the URL (trust auth ignores it,
        // so everything works while the password is there to leak).
        let plain = try HeatersCLI.run(["db", "url"], dataDirectory: dir).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let withPassword = plain.replacingOccurrences(of: "postgresql://heaters@", with: "postgresql://heaters:\(password)@")
        try #require(withPassword != plain, "\(plain)")
        let secrets = ["DATABASE_URL": withPassword, "HEATERS_STORAGE": "s3://heaters-secrets/lib", "AWS_ENDPOINT_URL": s3.endpoint,
                       "AWS_ACCESS_KEY_ID": "AKIDSECURITYTEST", "AWS_SECRET_ACCESS_KEY": secretKey, "AWS_SESSION_TOKEN": token,
                       "AWS_REGION": "us-east-1", "HEATERS_LOG_LEVEL": "debug"]
        let video = try VideoFixtures.testPattern(at: dir.appendingPathComponent("clip.mp4"))
        var outputs: [(String, String)] = []
        func run(_ arguments: [String], extra: [String: String] = [:]) throws -> HeatersCLI.Outcome {
            let outcome = try HeatersCLI.run(arguments, dataDirectory: dir, extra: secrets.merging(extra) { $1 })
            outputs.append((arguments.joined(separator: " ") + (extra.isEmpty ? "" : " \(extra.keys.sorted())"), outcome.output))
            return outcome
        }
        try Self.createBucket(s3.endpoint, "heaters-secrets")
        #expect(try run(["submit", "--title", "secrets", video.path]).status == 0)
        let worker = try run(["--headless", "--until-idle", "--queues", "io=1,media=1,default=0"])
        #expect(worker.status == 0, "\(worker.output)")
        #expect(try db.query("SELECT state FROM source_videos").first?.decode("state", as: String.self) == "scenes_detected")
        for command in [["status"], ["status", "--json"], ["jobs", "--json"], ["sources", "--json"], ["doctor"], ["doctor", "--json"],
                        ["db", "url"], ["db", "status", "--json"], ["clip", "list", "--json"]] {
            _ = try run(command)
        }
        // Errors: a wrong endpoint, a bucket that is not there, a server that is not there.
        _ = try run(["doctor"], extra: ["HEATERS_STORAGE": "s3://no-such-bucket-here/x"])
        _ = try run(["doctor"], extra: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9"])
        _ = try run(["status"], extra: ["DATABASE_URL": "postgresql://heaters:\(password)@127.0.0.1:9/heaters"])
        #expect(outputs.count >= 14)
        for (command, output) in outputs {
            for secret in [password, secretKey, token] {
                #expect(!output.contains(secret), "heaters \(command) showed a secret:\n\(output.prefix(2000))")
            }
        }
        let logs = try FileManager.default.subpathsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".log") }
        for log in logs where !log.hasSuffix("moto.log") {
            let text = (try? String(contentsOf: dir.appendingPathComponent(log), encoding: .utf8)) ?? ""
            for secret in [password, secretKey, token] { #expect(!text.contains(secret), "\(log) holds a secret") }
        }
    }

    /// Makes a bucket on moto (which accepts any credentials) with a plain signed-less PUT.
    static func createBucket(_ endpoint: String, _ bucket: String) throws {
        let made = try HeatersCLI.runProgram(URL(fileURLWithPath: "/usr/bin/curl"), ["-sf", "-X", "PUT", "\(endpoint)/\(bucket)"])
        try #require(made.status == 0, "\(made.output)")
    }
}
