@testable import Database
@testable import Domain
import Foundation
import Testing

/// The invariants of DESIGN.md, enforced by the database itself (real inserts).
@Suite(.timeLimit(.minutes(12))) struct SchemaInvariantTests {
    @Test func overlappingLiveClipsAreRejected() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        let source = try Rows.source(db, frameCount: 1000)
        try Rows.clip(db, source: source, frames: 0..<100)
        try Rows.clip(db, source: source, frames: 100..<250)  // adjacent: fine
        #expect(sqlState { try Rows.clip(db, source: source, frames: 50..<150) } == SQLState.exclusionViolation)
        #expect(sqlState { try Rows.clip(db, source: source, frames: 249..<260) } == SQLState.exclusionViolation)
        let other = try Rows.source(db, title: "Other")
        try Rows.clip(db, source: other, frames: 50..<150)  // another source: fine
        let count = try db.query("SELECT count(*) AS n FROM clips").first!.decode("n", as: Int.self)
        #expect(count == 3)
    }

    @Test func retiredClipsMakeRoomForTheirReplacement() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        let source = try Rows.source(db)
        let a = try Rows.clip(db, source: source, frames: 0..<100)
        let b = try Rows.clip(db, source: source, frames: 100..<180)
        // A merge: retire both originals and insert their union, in one transaction.
        let merged: Int64 = try db.transaction { tx in
            try tx.execute("UPDATE clips SET retired_at = now(), retired_by = 'merge' WHERE id = ANY($1::bigint[])",
                           ["{\(a),\(b)}"])
            let id = try Rows.clip(tx, source: source, frames: 0..<180)
            try tx.execute("INSERT INTO clip_lineage (parent_clip_id, child_clip_id, operation) VALUES ($1, $3, 'merge'), ($2, $3, 'merge')",
                           [a, b, id])
            return id
        }
        let live = try db.query("SELECT id FROM clips WHERE retired_at IS NULL").map { try $0.decode("id", as: Int64.self) }
        #expect(live == [merged])
        // …and reviving a retired original now collides with the merged clip.
        #expect(sqlState { try db.execute("UPDATE clips SET retired_at = NULL, retired_by = NULL WHERE id = $1", [a]) }
                == SQLState.exclusionViolation)
    }

    @Test func clipsStayInsideTheirSource() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        let source = try Rows.source(db, frameCount: 300)
        try Rows.clip(db, source: source, frames: 200..<300)  // ends exactly at frame_count
        #expect(sqlState { try Rows.clip(db, source: source, frames: 250..<301) } == SQLState.checkViolation)
        #expect(sqlState { try Rows.clip(db, source: source, start: 20, end: 10) } == SQLState.checkViolation)
        #expect(sqlState { try Rows.clip(db, source: source, start: -5, end: 10) } == SQLState.checkViolation)
        #expect(sqlState { try db.execute("UPDATE source_videos SET frame_count = 299 WHERE id = $1", [source]) }
                == SQLState.checkViolation)
        try db.execute("UPDATE source_videos SET frame_count = 400 WHERE id = $1", [source])
        let unprobed = try db.query("INSERT INTO source_videos (title, source_uri) VALUES ('x', 'y') RETURNING id")
            .first!.decode("id", as: Int64.self)
        #expect(sqlState { try Rows.clip(db, source: unprobed, frames: 0..<10) } == SQLState.checkViolation)
    }

    @Test func aPhysicalClipHasItsFile() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        let clip = try Rows.clip(db, source: try Rows.source(db), frames: 0..<10)
        #expect(sqlState { try db.execute("UPDATE clips SET is_virtual = false WHERE id = $1", [clip]) } == SQLState.checkViolation)
        try db.execute("UPDATE clips SET is_virtual = false, clip_key = $2 WHERE id = $1", [clip, "clips/1.mp4"])
    }

    @Test func statesAreCheckedValues() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        let source = try Rows.source(db)
        #expect(sqlState { try Rows.clip(db, source: source, frames: 0..<10, state: "approved-ish") } == SQLState.checkViolation)
        #expect(sqlState { try db.execute("UPDATE source_videos SET state = 'downloding' WHERE id = $1", [source]) }
                == SQLState.checkViolation)
        for state in ClipState.allCases {
            try db.execute("UPDATE clips SET state = $1", [state.rawValue])
        }
        for state in SourceVideoState.allCases where ![.preprocessed, .detectingScenes, .scenesDetected, .detectScenesFailed].contains(state) {
            try db.execute("UPDATE source_videos SET state = $1 WHERE id = $2", [state.rawValue, source])
        }
    }

    @Test func theDomainStatesAreExactlyTheDatabaseStates() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        func checked(_ table: String) throws -> Set<String> {
            let definition: String = try db.query("""
                SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
                WHERE c.conrelid = $1::regclass AND c.contype = 'c' AND pg_get_constraintdef(c.oid) LIKE '%state = ANY%'
                """, [table]).first!.decode("def")
            let quoted = try Regex(#"'([a-z_]+)'::text"#)
            return Set(definition.matches(of: quoted).map { String($0.output[1].substring!) })
        }
        #expect(try checked("clips") == Set(ClipState.allCases.map(\.rawValue)))
        #expect(try checked("source_videos") == Set(SourceVideoState.allCases.map(\.rawValue)))
    }

    /// `ON CONFLICT … WHERE state IN (…)` infers the unique index only when its list is the
    /// index's predicate; the code derives that list from `JobState.live`, the migration
    /// spells it out. They must agree.
    @Test func theLiveJobStatesAreThePredicateOfTheOneLiveJobIndex() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        let definition: String = try db.query(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'jobs' AND indexname = 'jobs_one_live_per_subject'")
            .first!.decode("indexdef")
        let predicate = String(try #require(definition.range(of: "WHERE").map { definition[$0.upperBound...] }))
        let quoted = try Regex(#"'([a-z_]+)'::text"#)
        let states = Set(predicate.matches(of: quoted).map { String($0.output[1].substring!) })
        #expect(states == Set(JobState.live.map(\.rawValue)))
        #expect(JobSQL.live == JobState.live.map { "'\($0.rawValue)'" }.joined(separator: ", "))
        #expect(JobSQL.enqueue.contains("WHERE state IN (\(JobSQL.live))"))
    }

    @Test func oneLiveJobPerStageAndSubject() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        let insert = "INSERT INTO jobs (stage, subject_type, subject_id, queue) VALUES ('preprocess', 'source_video', $1, 'media') RETURNING id"
        let first: Int64 = try db.query(insert, [7]).first!.decode("id")
        #expect(sqlState { try db.execute(insert, [7]) } == SQLState.uniqueViolation)
        try db.query(insert, [8])  // another subject: fine
        try db.execute("UPDATE jobs SET state = 'completed', finished_at = now() WHERE id = $1", [first])
        try db.query(insert, [7])  // the earlier one is final: a new live job is allowed
        #expect(sqlState { try db.execute("UPDATE jobs SET state = 'running' WHERE subject_id = 8") } == SQLState.checkViolation)
    }

    @Test func embeddingsKeepTheirModelsDimension() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        let clip = try Rows.clip(db, source: try Rows.source(db), frames: 0..<10)
        let vector = "[" + (0..<256).map { String(Double($0) / 256) }.joined(separator: ",") + "]"
        try db.execute("INSERT INTO embeddings (clip_id, model_name, dimension, embedding) VALUES ($1, 'heaters-descriptor-v1', 256, $2::vector)",
                       [clip, vector])
        #expect(sqlState {
            try db.execute("INSERT INTO embeddings (clip_id, model_name, dimension, embedding) VALUES ($1, 'heaters-descriptor-v1', 3, '[1,2,3]')", [clip])
        } == SQLState.checkViolation)
        // The nearest-neighbour query the HNSW index serves.
        let nearest = try db.query("""
            SELECT clip_id FROM embeddings WHERE model_name = 'heaters-descriptor-v1'
            ORDER BY embedding::vector(256) <=> $1::vector(256) LIMIT 1
            """, [vector])
        #expect(try nearest.first?.decode("clip_id", as: Int64.self) == clip)
    }
}
