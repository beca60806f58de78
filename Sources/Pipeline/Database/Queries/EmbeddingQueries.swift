import Foundation

/// Embedding vectors of clips, their models, and similarity search (pgvector, HNSW).
public enum EmbeddingQueries {
    /// Registers the model if new (its dimension, version, and its own HNSW index), or checks
    /// the registered one has `dimension`.
    public static func register(_ db: PostgresConnection, model: String, dimension: Int, version: String, description: String) throws {
        _ = try db.query("SELECT heaters_register_embedding_model($1, $2, $3, $4) AS dimension",
                         [model, dimension, version, description])
    }

    /// Stores (or replaces) the clip's vector under the model.
    public static func store(_ tx: PostgresConnection, clipID: Int64, model: String, vector: [Float], metadata: String = "{}") throws {
        try tx.execute("""
            INSERT INTO embeddings (clip_id, model_name, dimension, embedding, metadata)
            VALUES ($1, $2, $3, $4::vector, $5::jsonb)
            ON CONFLICT (clip_id, model_name) DO UPDATE
                SET dimension = EXCLUDED.dimension, embedding = EXCLUDED.embedding, metadata = EXCLUDED.metadata, created_at = now()
            """, [clipID, model, vector.count, literal(vector), metadata])
    }

    /// One neighbour.
    public struct Neighbour: Sendable, Equatable, Encodable {
        public var clipID: Int64
        public var distance: Double
    }

    /// The `limit` live clips nearest to `clipID` under `model` (cosine distance, HNSW index).
    public static func similar(_ db: PostgresConnection, clipID: Int64, model: String, limit: Int) throws -> [Neighbour] {
        try db.query("SELECT clip_id, distance FROM heaters_similar_clips($1, $2, $3)", [clipID, model, limit]).map {
            Neighbour(clipID: try $0.decode("clip_id"), distance: try $0.decode("distance"))
        }
    }

    /// The `limit` live clips nearest to `vector` under `model` other than `excluding` (the
    /// clip it was computed from), through the model's HNSW index.
    public static func nearest(_ db: PostgresConnection, vector: [Float], model: String, limit: Int,
                               excluding: Int64) throws -> [Neighbour] {
        try db.query("SELECT clip_id, distance FROM heaters_nearest_clips($1, $2, $3, $4)",
                     [literal(vector), model, limit, excluding]).map {
            Neighbour(clipID: try $0.decode("clip_id"), distance: try $0.decode("distance"))
        }
    }

    /// The models the clip has a vector under.
    public static func models(_ db: PostgresConnection, clipID: Int64) throws -> [String] {
        try db.query("SELECT model_name FROM embeddings WHERE clip_id = $1 ORDER BY model_name", [clipID]).map { try $0.decode("model_name") }
    }

    /// The registered models: name, dimension, version.
    public static func registered(_ db: PostgresConnection) throws -> [(name: String, dimension: Int, version: String)] {
        try db.query("SELECT name, dimension, version FROM embedding_models ORDER BY name").map {
            (try $0.decode("name"), try $0.decode("dimension"), try $0.decode("version"))
        }
    }

    /// The clip's keyframes of one strategy: (position, storage key), in position order.
    public static func keyframes(_ db: PostgresConnection, clipID: Int64, strategy: String) throws -> [(position: String, key: String)] {
        try db.query("""
            SELECT position, storage_key FROM clip_artifacts
            WHERE clip_id = $1 AND artifact_type = 'keyframe' AND strategy = $2 ORDER BY position
            """, [clipID, strategy]).map { (try $0.decode("position"), try $0.decode("storage_key")) }
    }

    /// Live embedded clips to fill in under `model`, in id order: those with no vector under it,
    /// or with `all` every one (vectors made again, e.g. after the model's file changed).
    public static func clipsToFill(_ db: PostgresConnection, model: String, all: Bool) throws -> [Int64] {
        try db.query("""
            SELECT c.id FROM clips c
            WHERE c.state = 'embedded' AND c.retired_at IS NULL
              AND ($2 OR NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.clip_id = c.id AND e.model_name = $1))
            ORDER BY c.id
            """, [model, all]).map { try $0.decode("id") }
    }

    /// Locks the clip if it is still a live embedded one (for `heaters embed`, which runs beside
    /// the workers, so stores only while nothing moved the clip on); false when it is not.
    public static func lockIfEmbedded(_ tx: PostgresConnection, clipID: Int64) throws -> Bool {
        try tx.query("SELECT 1 AS one FROM clips WHERE id = $1 AND state = 'embedded' AND retired_at IS NULL FOR UPDATE",
                     [clipID]).first != nil
    }

    /// pgvector's text form of a vector, bound as a parameter and cast in SQL.
    private static func literal(_ vector: [Float]) -> String {
        "[" + vector.map { String($0) }.joined(separator: ",") + "]"
    }
}
