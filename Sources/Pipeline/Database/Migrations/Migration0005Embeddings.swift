/// One image embedding per clip and model. The column is an untyped `vector` so several
/// models of different dimensions can share the table; each model's HNSW index is a partial
/// expression index that casts to its dimension (pgvector indexes need a fixed one).
enum Migration0005Embeddings {
    static let migration = Migration(version: 5, name: "embeddings", sql: """
        CREATE TABLE embedding_models (
            name        text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
            dimension   integer NOT NULL CHECK (dimension BETWEEN 1 AND 2000),
            description text NOT NULL DEFAULT '',
            created_at  timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE embeddings (
            id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            clip_id    bigint NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
            model_name text NOT NULL REFERENCES embedding_models (name),
            dimension  integer NOT NULL,
            embedding  vector NOT NULL,
            metadata   jsonb NOT NULL DEFAULT '{}',
            created_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (clip_id, model_name),
            CONSTRAINT embedding_has_its_dimension CHECK (vector_dims(embedding) = dimension)
        );

        -- The dimension stored with each embedding must be its model's.
        CREATE FUNCTION heaters_embedding_dimension_matches() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM embedding_models WHERE name = NEW.model_name AND dimension = NEW.dimension) THEN
                RAISE EXCEPTION 'embedding of dimension % does not match model %', NEW.dimension, NEW.model_name
                    USING ERRCODE = 'check_violation', CONSTRAINT = 'embedding_matches_model';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER embeddings_dimension BEFORE INSERT OR UPDATE ON embeddings
            FOR EACH ROW EXECUTE FUNCTION heaters_embedding_dimension_matches();

        -- The built-in visual descriptor (OpenCV, no model file needed).
        INSERT INTO embedding_models (name, dimension, description)
            VALUES ('heaters-descriptor-v1', 256, 'built-in OpenCV visual descriptor');
        CREATE INDEX embeddings_descriptor_v1_hnsw ON embeddings
            USING hnsw ((embedding::vector(256)) vector_cosine_ops)
            WHERE model_name = 'heaters-descriptor-v1';
        """)
}
