import Foundation

/// What `heaters bench review` needs besides the review engine: a source cut into many
/// clips to decide, and the reference it is measured against — a bare one-row UPDATE of a
/// table with no triggers, on the same server, in the same run. And what `heaters bench
/// similarity` needs: clustered vectors generated in the server, the exact scan it compares
/// the product's HNSW search with, and the plans and scan counts that show which is which.
public enum BenchmarkQueries {
    /// A source of `clips` clips of `length` frames each; returns the clip ids in frame order.
    public static func source(_ db: PostgresConnection, title: String, clips: Int, length: Int) throws -> [Int64] {
        let frames = clips * length
        let source: Int64 = try db.query("""
            INSERT INTO source_videos (title, source_uri, frame_count, fps, duration_seconds)
            VALUES ($1, 'bench://review', $2::int, 25, $2::int / 25.0) RETURNING id
            """, [title, frames]).first!.decode("id")
        return try db.query("""
            INSERT INTO clips (source_video_id, start_frame, end_frame, start_seconds, end_seconds)
            SELECT $1, g * $2, (g + 1) * $2, g * $2 / 25.0, (g + 1) * $2 / 25.0 FROM generate_series(0, $3 - 1) g
            RETURNING id
            """, [source, length, clips]).map { try $0.decode("id") }.sorted()
    }

    /// Statistics as autovacuum would have them a minute later, so the timings are of the
    /// steady state rather than of plans made for an empty table.
    public static func analyze(_ db: PostgresConnection) throws {
        try db.runScript("ANALYZE clips; ANALYZE source_videos; ANALYZE review_actions;")
    }

    /// The reference row, in a temporary table of this connection's session.
    public static func createReference(_ db: PostgresConnection) throws {
        try db.runScript("""
            CREATE TEMP TABLE IF NOT EXISTS bench_reference (id integer PRIMARY KEY, n integer NOT NULL);
            INSERT INTO bench_reference VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
            """)
    }

    /// The bare one-row UPDATE (autocommit).
    public static func updateReference(_ db: PostgresConnection) throws {
        try db.execute("UPDATE bench_reference SET n = n + 1 WHERE id = $1", [1])
    }

    // MARK: - Similarity search (`heaters bench similarity`)

    /// `sources` sources of `frames` frames each (source_uri `uri`), and `clips` clips of
    /// `length` frames dealt round-robin over them; returns the clip ids in id order.
    public static func similarityClips(_ db: PostgresConnection, uri: String, sources: Int, clips: Int,
                                       length: Int) throws -> [Int64] {
        let perSource = (clips + sources - 1) / sources
        try db.execute("""
            INSERT INTO source_videos (title, source_uri, frame_count, fps, duration_seconds)
            SELECT 'bench similarity ' || g, $1, $2::int, 25, $2::int / 25.0 FROM generate_series(1, $3::int) g
            """, [uri, perSource * length, sources])
        return try db.query("""
            INSERT INTO clips (source_video_id, start_frame, end_frame, start_seconds, end_seconds)
            SELECT s.id, (g / $2) * $3, (g / $2 + 1) * $3, (g / $2) * $3 / 25.0, (g / $2 + 1) * $3 / 25.0
            FROM generate_series(0, $4::int - 1) g
            JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM source_videos WHERE source_uri = $1) s
              ON s.n = g % $2
            RETURNING id
            """, [uri, sources, length, clips]).map { try $0.decode("id") }.sorted()
    }

    /// Declares a model without creating its index, so that the vectors can be loaded first and
    /// `heaters_register_embedding_model` (which finds the model without an index) then builds
    /// the product's index over a full table.
    public static func declareModelWithoutIndex(_ db: PostgresConnection, model: String, dimension: Int,
                                                version: String, description: String) throws {
        try db.execute("""
            INSERT INTO embedding_models (name, dimension, version, description) VALUES ($1, $2, $3, $4)
            """, [model, dimension, version, description])
    }

    /// One vector of `dimension` under `model` for each clip of the sources with source_uri `uri`,
    /// generated in the server: `centres` random directions (Gaussian, normalised); each clip
    /// takes one at random and adds Gaussian noise of norm ≈ `spread` (standard deviation
    /// spread/√dimension per coordinate); the sum is normalised (L2). setseed(`seed`, in [-1, 1])
    /// first, so the same arguments give the same vectors. Returns the number of rows stored.
    @discardableResult
    public static func loadClusteredVectors(_ db: PostgresConnection, uri: String, model: String, dimension: Int,
                                            centres: Int, spread: Double, seed: Double) throws -> Int {
        try db.transaction { tx in
            _ = try tx.query("SELECT setseed($1::float8)", [seed])
            try tx.execute("CREATE TEMP TABLE bench_centres (id integer PRIMARY KEY, v vector NOT NULL) ON COMMIT DROP")
            // `WHERE c >= 0` (and `cl.id > 0` below) ties each subquery to its row: without it the
            // planner may evaluate the random draws once and reuse them for every row.
            try tx.execute("""
                INSERT INTO bench_centres
                SELECT c, l2_normalize(ARRAY(SELECT random_normal() FROM generate_series(1, $2::int) WHERE c >= 0)::vector)
                FROM generate_series(0, $1::int - 1) c
                """, [centres, dimension])
            return try tx.execute("""
                INSERT INTO embeddings (clip_id, model_name, dimension, embedding)
                SELECT cl.id, $1, $2::int,
                       l2_normalize(ce.v + ARRAY(SELECT random_normal(0, $4::float8 / sqrt($2::int))
                                                 FROM generate_series(1, $2::int) WHERE cl.id > 0)::vector)
                FROM (SELECT c.id, floor(random() * $3::int)::int AS centre
                      FROM clips c JOIN source_videos s ON s.id = c.source_video_id
                      WHERE s.source_uri = $5 ORDER BY c.id) cl
                JOIN bench_centres ce ON ce.id = cl.centre
                """, [model, dimension, centres, spread, uri])
        }
    }

    /// Statistics of the tables the similarity queries read, as autovacuum would leave them.
    public static func analyzeEmbeddings(_ db: PostgresConnection) throws {
        try db.runScript("ANALYZE clips; ANALYZE embeddings; ANALYZE embedding_models;")
    }

    /// Sets `maintenance_work_mem` for this session (the memory an index build may use).
    public static func setMaintenanceWorkMem(_ db: PostgresConnection, _ value: String) throws {
        _ = try db.query("SELECT set_config('maintenance_work_mem', $1, false)", [value])
    }

    /// A setting of this session, as `SHOW` prints it.
    public static func setting(_ db: PostgresConnection, _ name: String) throws -> String? {
        try db.query("SELECT current_setting($1, true) AS value", [name]).first?.decodeIfPresent("value")
    }

    /// The model's HNSW index: its name, size, and the options it was built with (nil: pgvector's
    /// defaults, m = 16 and ef_construction = 64).
    public struct ModelIndex: Sendable, Encodable {
        public var name: String
        public var bytes: Int64
        public var definition: String
        public var options: [String]?
    }

    public static func modelIndex(_ db: PostgresConnection, model: String) throws -> ModelIndex? {
        guard let row = try db.query("""
            SELECT i.relname AS name, pg_relation_size(i.oid) AS bytes, pg_get_indexdef(i.oid) AS definition,
                   array_to_string(i.reloptions, ',') AS options
            FROM embedding_models m JOIN pg_class i ON i.relname = m.index_name AND i.relkind = 'i'
            WHERE m.name = $1
            """, [model]).first else { return nil }
        let options: String? = try row.decodeIfPresent("options")
        return ModelIndex(name: try row.decode("name"), bytes: try row.decode("bytes"), definition: try row.decode("definition"),
                          options: options.map { $0.split(separator: ",").map(String.init) })
    }

    /// Bytes of the embeddings table (heap and TOAST, indexes excluded).
    public static func embeddingsTableBytes(_ db: PostgresConnection) throws -> Int64 {
        try db.query("SELECT pg_table_size('embeddings') AS bytes").first!.decode("bytes")
    }

    /// The reference for `heaters_similar_clips`: its statement with the ordering written on the
    /// stored `vector` instead of the cast `vector(N)` the model's index is built on, so no index
    /// can give the order and every vector of the model is compared (an exact scan). Everything
    /// else is the product's: the query clip left out, the same candidate list before the
    /// live-clip filter, the same distance values.
    static let exactSimilarSQL = """
        SELECT e.clip_id, e.distance FROM embeddings q,
            LATERAL (SELECT e.clip_id, (e.embedding <=> q.embedding)::float8 AS distance FROM embeddings e
                     WHERE e.model_name = $2 AND e.clip_id <> q.clip_id
                     ORDER BY e.embedding <=> q.embedding LIMIT $3::int * 4 + 16) e
        JOIN clips c ON c.id = e.clip_id
        WHERE q.clip_id = $1 AND q.model_name = $2 AND c.retired_at IS NULL AND c.state <> 'archived'
        ORDER BY e.distance LIMIT $3::int
        """

    /// The `limit` live clips nearest to `clipID` under `model` by an exact scan (see `exactSimilarSQL`).
    public static func exactSimilar(_ db: PostgresConnection, clipID: Int64, model: String,
                                    limit: Int) throws -> [EmbeddingQueries.Neighbour] {
        try db.query(exactSimilarSQL, [clipID, model, limit]).map {
            EmbeddingQueries.Neighbour(clipID: try $0.decode("clip_id"), distance: try $0.decode("distance"))
        }
    }

    /// EXPLAIN (FORMAT JSON) of the exact scan.
    public static func explainExactSimilar(_ db: PostgresConnection, clipID: Int64, model: String, limit: Int) throws -> String {
        try db.query("EXPLAIN (FORMAT JSON) " + exactSimilarSQL, [clipID, model, limit]).first!.decode("QUERY PLAN")
    }

    /// Temporary functions (this session's) that mirror `heaters_similar_clips`: one builds the
    /// statement it runs, as Migration0013HNSWBuildQuality's does (keep the two in step), one explains
    /// it, one runs it at an `hnsw.ef_search` of the caller's. EXPLAIN of the product's function
    /// shows only a Function Scan, and the notices auto_explain could send are dropped by the
    /// connection; `scans(…)` checks the real function's calls against the plan.
    public static func createSimilarMirror(_ db: PostgresConnection) throws {
        try db.runScript("""
            CREATE OR REPLACE FUNCTION pg_temp.heaters_bench_similar_sql(model text) RETURNS text
            LANGUAGE plpgsql AS $$
            DECLARE
                dims integer := heaters_embedding_dimension(model);
            BEGIN
                RETURN format(
                    'SELECT e.clip_id, (e.embedding::vector(%1$s) <=> q.embedding::vector(%1$s))::float8 AS distance '
                    'FROM embeddings q, LATERAL (SELECT * FROM embeddings e WHERE e.model_name = %2$L AND e.clip_id <> q.clip_id '
                    '  ORDER BY e.embedding::vector(%1$s) <=> q.embedding::vector(%1$s) LIMIT $2 * 4 + 16) e '
                    'JOIN clips c ON c.id = e.clip_id '
                    'WHERE q.clip_id = $1 AND q.model_name = %2$L AND c.retired_at IS NULL AND c.state <> %3$L '
                    'ORDER BY distance LIMIT $2', dims, model, 'archived');
            END $$;

            CREATE OR REPLACE FUNCTION pg_temp.heaters_bench_explain_similar(clip bigint, model text, wanted integer)
            RETURNS SETOF text LANGUAGE plpgsql AS $$
            DECLARE
                plan text;
            BEGIN
                FOR plan IN EXECUTE 'EXPLAIN (FORMAT JSON) ' || pg_temp.heaters_bench_similar_sql(model) USING clip, wanted LOOP
                    RETURN NEXT plan;
                END LOOP;
            END $$;

            CREATE OR REPLACE FUNCTION pg_temp.heaters_bench_similar_at(clip bigint, model text, wanted integer, ef integer)
            RETURNS TABLE (clip_id bigint, distance double precision) LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM set_config('hnsw.ef_search', ef::text, true);
                RETURN QUERY EXECUTE pg_temp.heaters_bench_similar_sql(model) USING clip, wanted;
            END $$;
            """)
    }

    /// EXPLAIN (FORMAT JSON) of the statement `heaters_similar_clips` runs for these arguments
    /// (`createSimilarMirror` first).
    public static func explainProductSimilar(_ db: PostgresConnection, clipID: Int64, model: String, limit: Int) throws -> String {
        try db.query("SELECT pg_temp.heaters_bench_explain_similar($1, $2, $3) AS plan", [clipID, model, limit])
            .map { try $0.decode("plan", as: String.self) }.joined(separator: "\n")
    }

    /// The product's statement run at `hnsw.ef_search` = `efSearch` instead of the one
    /// `heaters_similar_clips` sets (`createSimilarMirror` first).
    public static func similarAtEfSearch(_ db: PostgresConnection, clipID: Int64, model: String, limit: Int,
                                         efSearch: Int) throws -> [EmbeddingQueries.Neighbour] {
        try db.query("SELECT clip_id, distance FROM pg_temp.heaters_bench_similar_at($1, $2, $3, $4)",
                     [clipID, model, limit, efSearch]).map {
            EmbeddingQueries.Neighbour(clipID: try $0.decode("clip_id"), distance: try $0.decode("distance"))
        }
    }

    /// What one call did, counted by the server in its transaction: index scans of the model's
    /// index, sequential scans of `embeddings`, and `hnsw.ef_search` as the call left it.
    public struct Scans: Sendable, Encodable {
        public var modelIndexScans: Int
        public var embeddingsSequentialScans: Int
        public var efSearch: String?
        public var neighbours: Int
    }

    /// Runs the product's search (`exact` false) or the exact scan once, in a transaction, and
    /// reads the server's scan counters of the model's index and the table before and after it.
    /// (The per-transaction counters also hold the session's earlier transactions until they are
    /// reported, so only a difference within one transaction counts this call alone.)
    public static func scans(_ db: PostgresConnection, clipID: Int64, model: String, limit: Int, exact: Bool) throws -> Scans {
        try db.transaction { tx in
            func counters() throws -> (index: Int, table: Int, ef: String?) {
                let row = try tx.query("""
                    SELECT pg_stat_get_xact_numscans(i.oid) AS index_scans,
                           pg_stat_get_xact_numscans('embeddings'::regclass) AS seq_scans,
                           current_setting('hnsw.ef_search', true) AS ef_search
                    FROM embedding_models m JOIN pg_class i ON i.relname = m.index_name AND i.relkind = 'i'
                    WHERE m.name = $1
                    """, [model]).first!
                return (try row.decode("index_scans"), try row.decode("seq_scans"), try row.decodeIfPresent("ef_search"))
            }
            let before = try counters()
            let neighbours = if exact {
                try exactSimilar(tx, clipID: clipID, model: model, limit: limit)
            } else {
                try EmbeddingQueries.similar(tx, clipID: clipID, model: model, limit: limit)
            }
            let after = try counters()
            return Scans(modelIndexScans: after.index - before.index, embeddingsSequentialScans: after.table - before.table,
                         efSearch: after.ef, neighbours: neighbours.count)
        }
    }
}
