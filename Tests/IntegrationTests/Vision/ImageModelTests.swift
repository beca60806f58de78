import Foundation
import Support
import Testing
import Vision

/// The ONNX image-embedding backend on models that scripts/make-onnx-test-model writes at
/// test time (no model file lives in git) and JPEGs made with the ffmpeg CLI: a valid tiny
/// embedder, files OpenCV cannot read, and configurations that do not match the model.
@Suite(.timeLimit(.minutes(12))) struct ImageModelTests {
    /// The script's valid model: 1×3×32×32 in, 24 values out.
    static let dimension = 24

    /// The generated models in a fresh folder; removed by `dispose`.
    struct Models {
        var dir: URL
        var embedder: URL { dir.appendingPathComponent("embedder.onnx") }
        var layerNormalization: URL { dir.appendingPathComponent("unsupported-layernorm-opset17.onnx") }
        var reduceAxesInput: URL { dir.appendingPathComponent("unsupported-reduce-axes-opset18.onnx") }
        func dispose() { try? FileManager.default.removeItem(at: dir) }
    }

    struct GeneratorFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs the generator with the project's .venv Python (an argument vector, no shell). A
    /// machine without the venv fails the test with the fix, never skips it.
    static func makeModels() async throws -> Models {
        let python = ProjectPaths.venv.appendingPathComponent("bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw GeneratorFailed(description: "no \(python.path): run scripts/bootstrap (it installs onnx into .venv)")
        }
        let dir = try ProjectPaths.freshDirectory("image-model")
        let script = ProjectPaths.root.appendingPathComponent("scripts/make-onnx-test-model")
        let outcome = try await ProcessRunner.run(python, [script.path, dir.path])
        guard outcome.succeeded else {
            try? FileManager.default.removeItem(at: dir)
            throw GeneratorFailed(description: "make-onnx-test-model \(outcome.exitDescription) (run scripts/bootstrap "
                                  + "to install onnx into .venv):\n\(outcome.standardError)")
        }
        return Models(dir: dir)
    }

    /// The spec of the script's embedder (ImageNet mean and std) at `path`.
    static func spec(_ path: URL, dimension: Int = dimension, channelOrder: ImageModelSpec.ChannelOrder = .rgb,
                     width: Int = 32, height: Int = 32, mean: [Float] = [0.485, 0.456, 0.406]) -> ImageModelSpec {
        ImageModelSpec(name: "test-embedder", path: path.path, inputWidth: width, inputHeight: height, mean: mean,
                       std: [0.229, 0.224, 0.225], channelOrder: channelOrder, dimension: dimension)
    }

    /// One frame of a lavfi source as a JPEG.
    static func jpeg(_ source: String, in dir: URL, named name: String) throws -> [UInt8] {
        let file = dir.appendingPathComponent("\(name).jpg")
        try VideoFixtures.run(["-f", "lavfi", "-i", source, "-frames:v", "1", "-q:v", "3", file.path])
        return try [UInt8](Data(contentsOf: file))
    }

    static func norm(_ vector: [Float]) -> Double {
        vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
    }

    /// The error `body` throws; records an issue when it throws none.
    static func failure(_ body: () throws(VisionError) -> Void) -> VisionError? {
        do throws(VisionError) {
            try body()
            Issue.record("expected a VisionError, got none")
            return nil
        } catch {
            return error
        }
    }

    @Test func theEmbedderGivesDeterministicUnitVectorsThatTellImagesApart() async throws {
        let models = try await Self.makeModels()
        defer { models.dispose() }
        let images = try [
            Self.jpeg("testsrc2=size=320x240", in: models.dir, named: "testsrc2"),
            Self.jpeg("mandelbrot=size=320x240", in: models.dir, named: "mandelbrot"),
            Self.jpeg("smptehdbars=size=320x240", in: models.dir, named: "bars"),
            Self.jpeg("color=c=#3060c0:size=64x48", in: models.dir, named: "blue"),
        ]
        let model = try ImageModel(Self.spec(models.embedder))
        #expect(model.spec == Self.spec(models.embedder))
        let vectors = try images.map { try model.embed(jpeg: $0) }
        for vector in vectors {
            #expect(vector.count == Self.dimension)
            #expect(vector.allSatisfy { $0.isFinite })
            #expect(abs(Self.norm(vector) - 1) < 1e-5)
        }
        // Same image, same vector: again on this instance, and on a second load of the file.
        #expect(try model.embed(jpeg: images[0]) == vectors[0])
        #expect(try ImageModel(Self.spec(models.embedder)).embed(jpeg: images[0]) == vectors[0])
        for i in vectors.indices {
            for j in vectors.indices where j > i {
                let distance = VisualDescriptor.cosineDistance(vectors[i], vectors[j])
                #expect(distance > 1e-4, "images \(i) and \(j) embed alike (cosine distance \(distance))")
            }
        }
        // The channel order reaches the network: a coloured image embeds differently as BGR.
        let bgr = try ImageModel(Self.spec(models.embedder, channelOrder: .bgr)).embed(jpeg: images[3])
        #expect(VisualDescriptor.cosineDistance(bgr, vectors[3]) > 1e-4)
    }

    /// Calls from many tasks at once are serialised and give what serial calls give.
    @Test func concurrentEmbedsMatchSerialOnes() async throws {
        let models = try await Self.makeModels()
        defer { models.dispose() }
        let images = try [
            Self.jpeg("testsrc2=size=320x240", in: models.dir, named: "testsrc2"),
            Self.jpeg("mandelbrot=size=320x240", in: models.dir, named: "mandelbrot"),
        ]
        let model = try ImageModel(Self.spec(models.embedder))
        let serial = try images.map { try model.embed(jpeg: $0) }
        let concurrent = try await withThrowingTaskGroup(of: (Int, [Float]).self) { group in
            for round in 0..<16 {
                let index = round % images.count
                let image = images[index]
                group.addTask { (index, try model.embed(jpeg: image)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(concurrent.count == 16)
        for (index, vector) in concurrent { #expect(vector == serial[index]) }
    }

    @Test func aMissingFileIsReportedWithItsPath() async throws {
        let models = try await Self.makeModels()
        defer { models.dispose() }
        let missing = models.dir.appendingPathComponent("no-such-model.onnx")
        #expect(throws: VisionError.modelFileMissing(path: missing.path)) { _ = try ImageModel(Self.spec(missing)) }
        // A folder is no model file either.
        #expect(throws: VisionError.modelFileMissing(path: models.dir.path)) { _ = try ImageModel(Self.spec(models.dir)) }
    }

    /// Bytes that are not ONNX, a truncated real model and an empty file: OpenCV's parser
    /// refuses them, and its message says so.
    @Test func malformedFilesAreUnreadableWithOpenCVsMessage() async throws {
        let models = try await Self.makeModels()
        defer { models.dispose() }
        let real = try Data(contentsOf: models.embedder)
        // Fixed pseudo-random bytes (a linear congruential sequence), so every run sees the same file.
        var state: UInt32 = 12345
        let noise = Data((0..<4096).map { _ -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        })
        let cases: [(name: String, bytes: Data, says: String)] = [
            ("random.onnx", noise, "Failed to parse ONNX model"),
            ("truncated.onnx", real.prefix(real.count / 2), "Failed to parse ONNX model"),
            ("empty.onnx", Data(), "has_graph"),
        ]
        for (name, bytes, says) in cases {
            let file = models.dir.appendingPathComponent(name)
            try bytes.write(to: file)
            let error = Self.failure { () throws(VisionError) in _ = try ImageModel(Self.spec(file)) }
            guard case .modelUnreadable(let path, let message) = error else {
                Issue.record("\(name): expected modelUnreadable, got \(String(describing: error))")
                continue
            }
            #expect(path == file.path)
            #expect(message.contains(says), "\(name): \(message)")
            #expect(error?.description.contains("cannot read the image model \(file.path)") == true)
        }
    }

    /// Models using what OpenCV 4.6's importer lacks: LayerNormalization (opset 17) and a
    /// Reduce with its axes as an input (opset 18). The same graph at opset 13 loads (the
    /// embedder above), so these fail for their operators, not for the file.
    @Test func operatorsOpenCVLacksAreUnreadableNamingTheNode() async throws {
        let models = try await Self.makeModels()
        defer { models.dispose() }
        let cases = [(models.layerNormalization, "of type \"LayerNormalization\""),
                     (models.reduceAxesInput, "Node [Div@ai.onnx]")]
        for (file, says) in cases {
            let error = Self.failure { () throws(VisionError) in _ = try ImageModel(Self.spec(file)) }
            guard case .modelUnreadable(let path, let message) = error else {
                let got = String(describing: error)
                Issue.record("\(file.lastPathComponent) on OpenCV \(OpenCV.version): expected modelUnreadable, got \(got)")
                continue
            }
            #expect(path == file.path)
            #expect(message.contains(says), "\(message)")
            #expect(!message.contains("modules/dnn/src"), "source locations are stripped: \(message)")
        }
    }

    @Test func aWrongConfiguredDimensionIsCaughtWhenLoading() async throws {
        let models = try await Self.makeModels()
        defer { models.dispose() }
        for configured in [10, 512] {
            let error = VisionError.modelOutputMismatch(path: models.embedder.path, actual: 24, expected: configured)
            #expect(throws: error) { _ = try ImageModel(Self.spec(models.embedder, dimension: configured)) }
            #expect(error.description.contains("outputs 24 values per image"))
            #expect(error.description.contains("dimension \(configured)"))
        }
    }

    /// A spec that is wrong is refused before OpenCV: here the file is a real model, and a
    /// malformed one, and neither is opened.
    @Test func anInvalidSpecIsRefusedBeforeOpenCV() async throws {
        let models = try await Self.makeModels()
        defer { models.dispose() }
        let junk = models.dir.appendingPathComponent("junk.onnx")
        try Data("not a model".utf8).write(to: junk)
        for file in [models.embedder, junk] {
            let specs = [Self.spec(file, width: 0), Self.spec(file, height: 5000),
                         Self.spec(file, mean: [0.5, 0.5]), Self.spec(file, dimension: 3000)]
            for spec in specs {
                let error = Self.failure { () throws(VisionError) in _ = try ImageModel(spec) }
                guard case .invalidModelSpec(let name, let problem) = error else {
                    Issue.record("expected invalidModelSpec, got \(String(describing: error))")
                    continue
                }
                #expect(name == "test-embedder")
                #expect(!problem.isEmpty)
            }
        }
        let hnsw = Self.failure { () throws(VisionError) in _ = try ImageModel(Self.spec(models.embedder, dimension: 3000)) }
        #expect(hnsw?.description.contains("HNSW") == true, "\(String(describing: hnsw))")
    }

    @Test func imagesThatAreNotJPEGsAreRefused() async throws {
        let models = try await Self.makeModels()
        defer { models.dispose() }
        let model = try ImageModel(Self.spec(models.embedder))
        let good = try Self.jpeg("testsrc2=size=320x240", in: models.dir, named: "testsrc2")
        #expect(throws: VisionError.invalidImage("empty image data")) { _ = try model.embed(jpeg: []) }
        #expect(throws: VisionError.invalidImage("not a JPEG (no SOI marker)")) { _ = try model.embed(jpeg: [1, 2, 3, 4]) }
        #expect(throws: VisionError.invalidImage("JPEG could not be decoded")) {
            _ = try model.embed(jpeg: Array(good.prefix(20)))
        }
        // The model still works after refusing them.
        #expect(try model.embed(jpeg: good).count == Self.dimension)
    }
}
