/// Source videos: what was submitted, where its files are, what probing found, and its
/// place in `new → downloading → … → scenes_detected`.
enum Migration0002SourceVideos {
    static let migration = Migration(version: 2, name: "source_videos", sql: """
        CREATE TABLE source_videos (
            id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            title               text NOT NULL,
            -- The submitted URL or local path, exactly as given.
            source_uri          text NOT NULL,
            state               text NOT NULL DEFAULT 'new' CHECK (state IN (
                                    'new', 'downloading', 'downloaded', 'download_failed',
                                    'preprocessing', 'preprocessed', 'preprocess_failed',
                                    'detecting_scenes', 'scenes_detected', 'detect_scenes_failed')),
            error_message       text,
            retry_count         integer NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
            -- Storage keys (relative to the object store's root).
            original_key        text,
            gold_master_key     text,
            proxy_key           text,
            frame_index_key     text,
            -- Probed facts; frame_count is the proxy's, which equals the gold master's.
            duration_seconds    double precision CHECK (duration_seconds >= 0),
            fps                 double precision CHECK (fps > 0),
            variable_frame_rate boolean,
            frame_count         integer CHECK (frame_count >= 0),
            width               integer CHECK (width > 0),
            height              integer CHECK (height > 0),
            rotation            integer CHECK (rotation IN (0, 90, 180, 270)),
            has_audio           boolean,
            scene_detection     jsonb,
            metadata            jsonb NOT NULL DEFAULT '{}',
            created_at          timestamptz NOT NULL DEFAULT now(),
            updated_at          timestamptz NOT NULL DEFAULT now(),
            -- A source past preprocessing has its proxy and knows its length.
            CONSTRAINT preprocessed_has_proxy CHECK (
                state NOT IN ('preprocessed', 'detecting_scenes', 'scenes_detected', 'detect_scenes_failed')
                OR (proxy_key IS NOT NULL AND gold_master_key IS NOT NULL AND frame_count IS NOT NULL))
        );
        CREATE INDEX source_videos_state_idx ON source_videos (state);
        CREATE TRIGGER source_videos_touch BEFORE UPDATE ON source_videos
            FOR EACH ROW EXECUTE FUNCTION heaters_touch_updated_at();
        """)
}
