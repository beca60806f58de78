/// Similarity search from a vector rather than a stored clip: the review station compares a
/// clip not embedded yet (pending review) by its proxy frames' descriptor, through the same
/// per-model HNSW index as `heaters_similar_clips` (the same expression, written by `format`).
enum Migration0012NearestClips {
    static let migration = Migration(version: 12, name: "nearest_clips", sql: """
        CREATE FUNCTION heaters_nearest_clips(query text, model text, wanted integer, excluded bigint)
        RETURNS TABLE (clip_id bigint, distance double precision) LANGUAGE plpgsql AS $$
        DECLARE
            dims integer;
        BEGIN
            SELECT dimension INTO dims FROM embedding_models WHERE name = model;
            IF dims IS NULL THEN
                RAISE EXCEPTION 'no embedding model named %', model USING ERRCODE = 'no_data_found';
            END IF;
            PERFORM set_config('hnsw.ef_search', least(1000, greatest(40, wanted * 4 + 16))::text, true);
            RETURN QUERY EXECUTE format(
                'SELECT e.clip_id, (e.embedding::vector(%1$s) <=> $1::vector(%1$s))::float8 AS distance '
                'FROM (SELECT * FROM embeddings e WHERE e.model_name = %2$L AND e.clip_id <> $3 '
                '  ORDER BY e.embedding::vector(%1$s) <=> $1::vector(%1$s) LIMIT $2 * 4 + 16) e '
                'JOIN clips c ON c.id = e.clip_id '
                'WHERE c.retired_at IS NULL AND c.state <> %3$L '
                'ORDER BY distance LIMIT $2', dims, model, 'archived')
                USING query, wanted, excluded;
        END $$;
        """)
}
