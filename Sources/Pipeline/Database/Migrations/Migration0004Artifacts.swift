/// Files a stage derives from a clip (keyframes, …), under deterministic storage keys so that
/// a rerun finds what an earlier run already wrote.
enum Migration0004Artifacts {
    static let migration = Migration(version: 4, name: "clip_artifacts", sql: """
        CREATE TABLE clip_artifacts (
            id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            clip_id       bigint NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
            artifact_type text NOT NULL CHECK (artifact_type IN ('keyframe', 'thumbnail')),
            -- How it was made, e.g. 'percentage' with position 25, or 'tag' with a tag name.
            strategy      text NOT NULL,
            position      text NOT NULL DEFAULT '',
            storage_key   text NOT NULL,
            metadata      jsonb NOT NULL DEFAULT '{}',
            created_at    timestamptz NOT NULL DEFAULT now(),
            UNIQUE (clip_id, artifact_type, strategy, position),
            UNIQUE (storage_key)
        );
        """)
}
