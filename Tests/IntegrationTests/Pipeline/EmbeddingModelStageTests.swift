@testable import Database
import Foundation
import Support
import Testing

/// ONNX embedding models through the built binary, on the test models scripts/make-onnx-test-model
/// writes: a model declared in the config file registers itself with its own index, `heaters
/// embed` fills in clips embedded before it, the embed stage gives new clips vectors under
/// every model, and each kind of bad model fails with its reason, the rest going on.
@Suite(.timeLimit(.minutes(12))) struct EmbeddingModelStageTests {
    func approve(_ f: StationFixture, _ clip: Int64) throws {
        let outcome = try HeatersCLI.run(["clip", "approve", String(clip), "--reviewer", "alice"], dataDirectory: f.dir,
                                         extra: ["HEATERS_UNDO_SECONDS": "0"])
        #expect(outcome.status == 0, "\(outcome.output)")
    }

    func workers(_ f: StationFixture) throws -> Int32 {
        try HeatersCLI.run(["--headless", "--until-idle", "--queues", "io=1,media=2,review=1,default=0", "--lease-seconds", "3"],
                           dataDirectory: f.dir).status
    }

    /// The config file with the test embedder as `tiny` and `extra` models: (name, path, dimension).
    func configure(_ f: StationFixture, _ extra: [(String, String, Int)] = []) throws {
        var text = ""
        for (name, path, dimension) in [("tiny", "models/embedder.onnx", 24)] + extra {
            text += """
                [embeddings.models.\(name)]
                path = "\(path)"
                input_size = [32, 32]
                mean = [0.485, 0.456, 0.406]
                std = [0.229, 0.224, 0.225]
                dimension = \(dimension)

                """
        }
        try text.write(to: f.dir.appendingPathComponent("config/heaters/config.toml"), atomically: true, encoding: .utf8)
    }

    @Test func aConfiguredOnnxModelEmbedsNewClipsFillsInOldOnesAndBadModelsFailWithTheirReason() async throws {
        let f = try await StationFixture("onnx")
        defer { f.cleanUp() }
        let clips = try f.clips().map(\.id)
        try approve(f, clips[0])
        try approve(f, clips[1])
        #expect(try workers(f) == 0)
        #expect(try f.state(of: clips[1]) == "embedded")

        // The models, generated beside the config file (a relative path is relative to it).
        let folder = f.dir.appendingPathComponent("config/heaters")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("models"), withIntermediateDirectories: true)
        let python = ProjectPaths.venv.appendingPathComponent("bin/python")
        let made = try await ProcessRunner.run(python, [ProjectPaths.root.appendingPathComponent("scripts/make-onnx-test-model").path,
                                                        folder.appendingPathComponent("models").path])
        #expect(made.succeeded, "make-onnx-test-model (scripts/bootstrap installs onnx): \(made.standardError)")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) })
            .write(to: folder.appendingPathComponent("models/garbage.onnx"))
        try configure(f)

        let filled = try HeatersCLI.run(["embed", "--model", "tiny", "--json"], dataDirectory: f.dir)
        #expect(filled.status == 0, "\(filled.output)")
        #expect(filled.stdout.contains("\"embedded\" : [\n    \(clips[0]),\n    \(clips[1])\n  ]"), "\(filled.stdout)")
        #expect(try f.count("SELECT count(*)::int AS n FROM embeddings WHERE model_name = 'tiny' AND dimension = 24") == 2)
        #expect(try f.count("""
            SELECT count(*)::int AS n FROM embedding_models m JOIN pg_indexes i ON i.indexname = m.index_name
            WHERE m.name = 'tiny' AND m.dimension = 24 AND i.indexdef LIKE '%hnsw%'
            """) == 1, "the model registered itself with its own HNSW index")
        let again = try HeatersCLI.run(["embed", "--model", "tiny"], dataDirectory: f.dir)
        #expect(again.status == 0 && again.stdout.contains("0 clips embedded (every embedded clip has one"), "\(again.output)")
        let similar = try HeatersCLI.run(["similar", String(clips[0]), "--model", "tiny", "--json"], dataDirectory: f.dir)
        #expect(similar.status == 0 && similar.stdout.contains("\(clips[1])"), "\(similar.output)")

        // A new clip gets both models' vectors from the stage.
        try approve(f, clips[2])
        #expect(try workers(f) == 0)
        #expect(try f.state(of: clips[2]) == "embedded")
        #expect(try f.count("SELECT count(*)::int AS n FROM embeddings WHERE clip_id = $1", [clips[2]]) == 2)

        // Each bad model: heaters embed lists every clip with the reason and exits 1.
        let bad: [(String, String, Int, String)] = [
            ("missing", "models/nope.onnx", 24, "image model file not found"),
            ("garbage", "models/garbage.onnx", 24, "cannot read the image model"),
            ("layernorm", "models/unsupported-layernorm-opset17.onnx", 24, "LayerNormalization"),
            ("wide", "models/embedder.onnx", 32, "outputs 24 values per image but its configuration says dimension 32"),
        ]
        for (name, path, dimension, reason) in bad {
            try configure(f, [(name, path, dimension)])
            let outcome = try HeatersCLI.run(["embed", "--model", name], dataDirectory: f.dir)
            #expect(outcome.status == 1, "\(name): \(outcome.output)")
            #expect(outcome.stdout.contains("3 failed") && outcome.stdout.contains("clip \(clips[0]): ") && outcome.stdout.contains(reason),
                    "\(name): \(outcome.output)")
        }
        #expect(try f.count("SELECT count(*)::int AS n FROM embeddings WHERE model_name NOT IN ('tiny', 'heaters-descriptor-v1')") == 0)

        // In the stage: the clip ends embedding_failed with the reason; the others stay as they are.
        try configure(f, [("garbage", "models/garbage.onnx", 24)])
        try approve(f, clips[3])
        #expect(try workers(f) == 0)
        let failed = try #require(try f.db.query("SELECT state, error_message FROM clips WHERE id = $1", [clips[3]]).first)
        #expect(try failed.decode("state", as: String.self) == "embedding_failed")
        let message: String = try failed.decode("error_message")
        #expect(message.contains("model garbage") && message.contains("cannot read the image model"), "\(message)")
        for clip in clips.prefix(3) { #expect(try f.state(of: clip) == "embedded") }

        // A configuration no model can satisfy stops the command before any work.
        try configure(f, [("huge", "models/embedder.onnx", 3000)])
        let refused = try HeatersCLI.run(["embed", "--model", "huge"], dataDirectory: f.dir)
        #expect(refused.status != 0 && refused.stderr.contains("2000"), "\(refused.output)")
        try configure(f)
        let unknown = try HeatersCLI.run(["embed", "--model", "nothing"], dataDirectory: f.dir)
        #expect(unknown.status != 0 && unknown.stderr.contains("there is no embedding model \"nothing\""), "\(unknown.output)")
    }
}
