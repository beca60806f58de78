@testable import Database
import Foundation
import Testing

/// Models register themselves with their own HNSW index; similarity search goes through it
/// and offers live clips only; a vector of the wrong dimension is refused.
@Suite struct EmbeddingQueriesTests {
    static func unit(_ values: [Float]) -> [Float] {
        let norm = values.map { $0 * $0 }.reduce(0, +).squareRoot()
        return values.map { $0 / norm }
    }

    @Test func aModelRegistersItsIndexAndTheNearestClipsComeFirst() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        let source = try Rows.source(db)
        let clips = try (0..<6).map { try Rows.clip(db, source: source, frames: ($0 * 100)..<($0 * 100 + 100)) }
        try EmbeddingQueries.register(db, model: "tiny-3d", dimension: 3, version: "2", description: "test")
        let index: String = try #require(try db.query("SELECT index_name FROM embedding_models WHERE name = 'tiny-3d'").first)
            .decode("index_name")
        let definition: String = try #require(try db.query("SELECT indexdef FROM pg_indexes WHERE indexname = $1", [index]).first)
            .decode("indexdef")
        #expect(definition.contains("hnsw") && definition.contains("vector(3)") && definition.contains("'tiny-3d'"))
        // Built with the candidate list migration 13 chose (pgvector's default, 64, cut clusters
        // off the graph in the similarity benchmark).
        #expect(definition.contains("ef_construction='128'"))
        // Registering again is a no-op; another dimension is refused.
        try EmbeddingQueries.register(db, model: "tiny-3d", dimension: 3, version: "2", description: "test")
        #expect(sqlState { try EmbeddingQueries.register(db, model: "tiny-3d", dimension: 4, version: "2", description: "") } == SQLState.checkViolation)

        let vectors: [[Float]] = [[1, 0, 0], [0.9, 0.1, 0], [0.5, 0.5, 0], [0, 1, 0], [0, 0, 1], [0.95, 0, 0.05]]
        for (clip, vector) in zip(clips, vectors) {
            try EmbeddingQueries.store(db, clipID: clip, model: "tiny-3d", vector: Self.unit(vector))
        }
        let near = try EmbeddingQueries.similar(db, clipID: clips[0], model: "tiny-3d", limit: 3)
        #expect(near.map(\.clipID) == [clips[5], clips[1], clips[2]])
        #expect(near[0].distance < near[1].distance && near[1].distance < near[2].distance)
        // Both searches scan at least 200 candidates (migration 13: fewer let a search end in
        // another cluster), more for a longer list; the setting lasts for the call's transaction.
        for (wanted, ef) in [(3, "200"), (100, "416")] {
            let set: String? = try db.transaction { tx in
                _ = try tx.query("SELECT * FROM heaters_similar_clips($1, 'tiny-3d', $2)", [clips[0], wanted])
                return try tx.query("SELECT current_setting('hnsw.ef_search') AS ef").first?.decode("ef")
            }
            #expect(set == ef)
            let nearestSet: String? = try db.transaction { tx in
                _ = try tx.query("SELECT * FROM heaters_nearest_clips('[1,0,0]', 'tiny-3d', $1, 0)", [wanted])
                return try tx.query("SELECT current_setting('hnsw.ef_search') AS ef").first?.decode("ef")
            }
            #expect(nearestSet == ef)
        }
        // An archived clip is never offered; a replaced vector counts once.
        try db.execute("UPDATE clips SET state = 'archived' WHERE id = $1", [clips[5]])
        try EmbeddingQueries.store(db, clipID: clips[1], model: "tiny-3d", vector: Self.unit([1, 0, 0.01]))
        #expect(try EmbeddingQueries.similar(db, clipID: clips[0], model: "tiny-3d", limit: 2).map(\.clipID) == [clips[1], clips[2]])
        #expect(try db.query("SELECT count(*)::int AS n FROM embeddings WHERE clip_id = $1", [clips[1]]).first!.decode("n", as: Int.self) == 1)
        // The wrong dimension for the model is refused by the schema.
        #expect(sqlState { try EmbeddingQueries.store(db, clipID: clips[3], model: "tiny-3d", vector: [1, 0]) } == SQLState.checkViolation)
        // The built-in descriptor's model exists from the start, with its index.
        #expect(try EmbeddingQueries.registered(db).contains { $0.name == "heaters-descriptor-v1" && $0.dimension == 256 })
        let descriptorIndex: String = try #require(try db.query(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'embeddings_descriptor_v1_hnsw'").first).decode("indexdef")
        #expect(descriptorIndex.contains("ef_construction='128'"))
        #expect(sqlState { _ = try EmbeddingQueries.similar(db, clipID: clips[0], model: "nope", limit: 3) } != nil)
    }
}
