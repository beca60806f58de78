/// The source's frame rate as an exact ratio (30000/1001, not the 29.97 `fps` holds) and its
/// start timecode, recorded by preprocessing: editors' timelines need both to be frame-exact.
enum Migration0014SourceTimecode {
    static let migration = Migration(version: 14, name: "source_timecode", sql: """
        ALTER TABLE source_videos
            ADD COLUMN frame_rate_numerator integer CHECK (frame_rate_numerator > 0),
            ADD COLUMN frame_rate_denominator integer CHECK (frame_rate_denominator > 0),
            -- As the source declares it: hh:mm:ss:ff, or hh:mm:ss;ff for drop-frame.
            ADD COLUMN start_timecode text CHECK (start_timecode ~ '^[0-9]{2,3}:[0-5][0-9]:[0-5][0-9][:;.][0-9]{2,3}$'),
            ADD CONSTRAINT frame_rate_is_a_ratio CHECK ((frame_rate_numerator IS NULL) = (frame_rate_denominator IS NULL));
        """)
}
