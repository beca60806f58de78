/// What an editor's timeline of one source needs from the database: the source's facts and
/// its live clips with their states, groups, tags and exported files.
public enum TimelineQueries {
    public struct Source: Sendable {
        public var id: Int64
        public var title: String
        public var state: String
        public var originalKey: String?
        public var goldMasterKey: String?
        public var frameCount: Int?
        public var fps: Double?
        /// The exact rate preprocessing recorded (nil for sources preprocessed before it did).
        public var frameRate: (numerator: Int, denominator: Int)?
        public var startTimecode: String?
        public var variableFrameRate: Bool?
        public var width: Int?
        public var height: Int?
        public var hasAudio: Bool?
    }

    public static func source(_ db: PostgresConnection, id: Int64) throws -> Source? {
        guard let row = try db.query("""
            SELECT id, title, state, original_key, gold_master_key, frame_count, fps, frame_rate_numerator,
                   frame_rate_denominator, start_timecode, variable_frame_rate, width, height, has_audio
            FROM source_videos WHERE id = $1
            """, [id]).first else { return nil }
        let numerator: Int? = try row.decodeIfPresent("frame_rate_numerator")
        let denominator: Int? = try row.decodeIfPresent("frame_rate_denominator")
        return Source(id: try row.decode("id"), title: try row.decode("title"), state: try row.decode("state"),
                      originalKey: try row.decodeIfPresent("original_key"), goldMasterKey: try row.decodeIfPresent("gold_master_key"),
                      frameCount: try row.decodeIfPresent("frame_count"), fps: try row.decodeIfPresent("fps"),
                      frameRate: numerator.flatMap { n in denominator.map { (n, $0) } },
                      startTimecode: try row.decodeIfPresent("start_timecode"),
                      variableFrameRate: try row.decodeIfPresent("variable_frame_rate"),
                      width: try row.decodeIfPresent("width"), height: try row.decodeIfPresent("height"),
                      hasAudio: try row.decodeIfPresent("has_audio"))
    }

    public struct Clip: Sendable {
        public var id: Int64
        public var startFrame: Int
        public var endFrame: Int
        public var state: String
        public var groupedWith: Int64?
        public var tags: [String]
        /// The exported file's storage key, when the clip is physical.
        public var fileKey: String?
        /// What the export recorded of that file.
        public var exportedFrames: Int?
        public var exportedWidth: Int?
        public var exportedHeight: Int?
        public var exportedAudio: Bool?
    }

    /// The source's live clips, in source order.
    public static func clips(_ db: PostgresConnection, sourceID: Int64) throws -> [Clip] {
        try db.query("""
            SELECT id, start_frame, end_frame, state, grouped_with_clip_id, to_json(tags)::text AS tags,
                   CASE WHEN is_virtual THEN NULL ELSE clip_key END AS file_key,
                   (processing_metadata->'export'->>'frames')::int AS frames,
                   (processing_metadata->'export'->>'width')::int AS width,
                   (processing_metadata->'export'->>'height')::int AS height,
                   (processing_metadata->'export'->>'audio')::boolean AS audio
            FROM clips WHERE source_video_id = $1 AND retired_at IS NULL ORDER BY start_frame
            """, [sourceID]).map { row in
            Clip(id: try row.decode("id"), startFrame: try row.decode("start_frame"), endFrame: try row.decode("end_frame"),
                 state: try row.decode("state"), groupedWith: try row.decodeIfPresent("grouped_with_clip_id"),
                 tags: try JSONText(postgresText: try row.decode("tags")).decode([String].self),
                 fileKey: try row.decodeIfPresent("file_key"), exportedFrames: try row.decodeIfPresent("frames"),
                 exportedWidth: try row.decodeIfPresent("width"), exportedHeight: try row.decodeIfPresent("height"),
                 exportedAudio: try row.decodeIfPresent("audio"))
        }
    }
}
