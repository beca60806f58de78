/// Embedding models that register themselves, each with its own HNSW index, and the
/// similarity search through it. pgvector's HNSW index needs a fixed dimension, so each
/// model's index is partial (its rows) over `embedding::vector(N)`; a query uses the same
/// expression, which only dynamic SQL can write — done here, in PL/pgSQL with `format`'s
/// quoting, so that no caller composes SQL.
enum Migration0010Similarity {
    static let migration = Migration(version: 10, name: "similarity", sql: """
        ALTER TABLE embedding_models ADD COLUMN version text NOT NULL DEFAULT '1';
        ALTER TABLE embedding_models ADD COLUMN index_name text;
        UPDATE embedding_models SET index_name = 'embeddings_descriptor_v1_hnsw' WHERE name = 'heaters-descriptor-v1';

        -- Registers a model (or checks one already registered has this dimension) and creates its
        -- index when it has none. Returns the model's dimension.
        CREATE FUNCTION heaters_register_embedding_model(model text, dims integer, model_version text, about text)
        RETURNS integer LANGUAGE plpgsql AS $$
        DECLARE
            known integer;
            idx text;
        BEGIN
            INSERT INTO embedding_models (name, dimension, version, description) VALUES (model, dims, model_version, about)
                ON CONFLICT (name) DO NOTHING;
            SELECT dimension, index_name INTO known, idx FROM embedding_models WHERE name = model FOR UPDATE;
            IF known <> dims THEN
                RAISE EXCEPTION 'model % is registered with dimension %, not %', model, known, dims
                    USING ERRCODE = 'check_violation', CONSTRAINT = 'embedding_matches_model';
            END IF;
            IF idx IS NULL THEN
                idx := 'embeddings_hnsw_' || substr(md5(model), 1, 12);
                EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON embeddings USING hnsw ((embedding::vector(%s)) vector_cosine_ops) '
                               'WHERE model_name = %L', idx, dims, model);
                UPDATE embedding_models SET index_name = idx WHERE name = model;
            END IF;
            RETURN known;
        END $$;

        -- The clips nearest to one clip under a model, by cosine distance through the model's
        -- HNSW index; live clips only (archived and retired ones are never offered).
        CREATE FUNCTION heaters_similar_clips(clip bigint, model text, wanted integer)
        RETURNS TABLE (clip_id bigint, distance double precision) LANGUAGE plpgsql AS $$
        DECLARE
            dims integer;
        BEGIN
            SELECT dimension INTO dims FROM embedding_models WHERE name = model;
            IF dims IS NULL THEN
                RAISE EXCEPTION 'no embedding model named %', model USING ERRCODE = 'no_data_found';
            END IF;
            -- The index's candidate list bounds what one scan returns (40 by default).
            PERFORM set_config('hnsw.ef_search', least(1000, greatest(40, wanted * 4 + 16))::text, true);
            RETURN QUERY EXECUTE format(
                'SELECT e.clip_id, (e.embedding::vector(%1$s) <=> q.embedding::vector(%1$s))::float8 AS distance '
                'FROM embeddings q, LATERAL (SELECT * FROM embeddings e WHERE e.model_name = %2$L AND e.clip_id <> q.clip_id '
                '  ORDER BY e.embedding::vector(%1$s) <=> q.embedding::vector(%1$s) LIMIT $2 * 4 + 16) e '
                'JOIN clips c ON c.id = e.clip_id '
                'WHERE q.clip_id = $1 AND q.model_name = %2$L AND c.retired_at IS NULL AND c.state <> %3$L '
                'ORDER BY distance LIMIT $2', dims, model, 'archived')
                USING clip, wanted;
        END $$;
        """)
}
