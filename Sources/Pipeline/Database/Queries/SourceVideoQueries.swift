import Domain
import Foundation

/// Reading and writing source video rows.
public enum SourceVideoQueries {
    /// A submitted source, as the download stage needs it.
    public struct Submitted: Sendable {
        public var id: Int64
        public var title: String
        public var sourceURI: String
    }

    /// Adds a source in state `new`; returns its id.
    public static func submit(_ db: PostgresConnection, title: String, sourceURI: String) throws -> Int64 {
        try db.query("INSERT INTO source_videos (title, source_uri) VALUES ($1, $2) RETURNING id", [title, sourceURI])
            .first!.decode("id")
    }

    public static func submitted(_ db: PostgresConnection, id: Int64) throws -> Submitted? {
        try db.query("SELECT id, title, source_uri FROM source_videos WHERE id = $1", [id]).first.map {
            Submitted(id: try $0.decode("id"), title: try $0.decode("title"), sourceURI: try $0.decode("source_uri"))
        }
    }

    /// What probing a source's original found, as the row records it.
    public struct Probed: Sendable, Equatable {
        public var durationSeconds: Double
        public var framesPerSecond: Double
        /// The frame rate as libav's rational, "30000/1001".
        public var frameRate: String
        public var variableFrameRate: Bool
        public var width: Int
        public var height: Int
        public var rotation: Int
        public var hasAudio: Bool
        public var videoCodec: String
        public var container: String

        public init(durationSeconds: Double, framesPerSecond: Double, frameRate: String, variableFrameRate: Bool,
                    width: Int, height: Int, rotation: Int, hasAudio: Bool, videoCodec: String, container: String) {
            self.durationSeconds = durationSeconds
            self.framesPerSecond = framesPerSecond
            self.frameRate = frameRate
            self.variableFrameRate = variableFrameRate
            self.width = width
            self.height = height
            self.rotation = rotation
            self.hasAudio = hasAudio
            self.videoCodec = videoCodec
            self.container = container
        }
    }

    /// Records the stored original (its storage key) and what probing it found.
    public static func recordOriginal(_ db: PostgresConnection, id: Int64, key: String, probed info: Probed) throws {
        let metadata = try JSONText(encoding: ["video_codec": info.videoCodec, "container": info.container,
                                               "frame_rate": info.frameRate])
        try db.execute("""
            UPDATE source_videos SET original_key = $2, duration_seconds = $3, fps = $4, variable_frame_rate = $5,
                   width = $6, height = $7, rotation = $8, has_audio = $9, metadata = metadata || $10::jsonb
            WHERE id = $1
            """, [id, key, info.durationSeconds, info.framesPerSecond, info.variableFrameRate,
                  info.width, info.height, info.rotation, info.hasAudio, metadata])
    }
}

extension SourceVideoQueries {
    /// One source as `heaters sources` lists it.
    public struct Listed: Sendable, Encodable {
        public var id: Int64
        public var title: String
        public var source: String
        public var state: String
        public var error: String?
        public var frameCount: Int?
        public var fps: Double?
        public var durationSeconds: Double?
        public var originalKey: String?
        public var goldMasterKey: String?
        public var proxyKey: String?
    }

    public static func list(_ db: PostgresConnection, limit: Int = 500) throws -> [Listed] {
        try db.query("""
            SELECT id, title, source_uri, state, error_message, frame_count, fps, duration_seconds,
                   original_key, gold_master_key, proxy_key
            FROM source_videos ORDER BY id DESC LIMIT $1
            """, [limit]).map { row in
            Listed(id: try row.decode("id"), title: try row.decode("title"), source: URLRedaction.redacted(try row.decode("source_uri", as: String.self)),
                   state: try row.decode("state"), error: try row.decodeIfPresent("error_message"),
                   frameCount: try row.decodeIfPresent("frame_count"), fps: try row.decodeIfPresent("fps"),
                   durationSeconds: try row.decodeIfPresent("duration_seconds"),
                   originalKey: try row.decodeIfPresent("original_key"), goldMasterKey: try row.decodeIfPresent("gold_master_key"),
                   proxyKey: try row.decodeIfPresent("proxy_key"))
        }
    }
}

extension SourceVideoQueries {
    /// The stored original of a source, for preprocessing.
    public static func originalKey(_ db: PostgresConnection, id: Int64) throws -> String? {
        try db.query("SELECT original_key FROM source_videos WHERE id = $1", [id]).first?.decodeIfPresent("original_key")
    }

    /// Records the preprocess outputs; the stage's success then moves the state, which the
    /// schema only allows once these are set.
    /// `frameRate` is the grid's exact ratio; `startTimecode` is stored only when it has the
    /// form the schema accepts (a malformed tag is dropped, not an error); `retimed` (frames
    /// dropped or repeated onto the grid) marks the source variable-rate whatever its probe said.
    public static func recordPreprocessed(_ db: PostgresConnection, id: Int64, gold: String, proxy: String,
                                          index: String, frameCount: Int, frameRate: (numerator: Int, denominator: Int),
                                          startTimecode: String?, retimed: Bool) throws {
        try db.execute("""
            UPDATE source_videos SET gold_master_key = $2, proxy_key = $3, frame_index_key = $4, frame_count = $5,
                   fps = $6::float8 / $7::float8, frame_rate_numerator = $6, frame_rate_denominator = $7,
                   start_timecode = CASE WHEN $8 ~ '^[0-9]{2,3}:[0-5][0-9]:[0-5][0-9][:;.][0-9]{2,3}$' THEN $8 END,
                   variable_frame_rate = coalesce(variable_frame_rate, false) OR $9
            WHERE id = $1
            """, [id, gold, proxy, index, frameCount, frameRate.numerator, frameRate.denominator, startTimecode, retimed])
    }
}

extension SourceVideoQueries {
    /// Where a preprocessed source's proxy and frame index are (storage keys).
    public static func frameFiles(_ db: PostgresConnection, id: Int64) throws -> (proxy: String, index: String)? {
        guard let row = try db.query("SELECT proxy_key, frame_index_key FROM source_videos WHERE id = $1", [id]).first,
              let proxy: String = try row.decodeIfPresent("proxy_key"), let index: String = try row.decodeIfPresent("frame_index_key")
        else { return nil }
        return (proxy, index)
    }
}
