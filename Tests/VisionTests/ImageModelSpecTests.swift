import Testing
import Vision

/// The image model's spec checks, which run before OpenCV sees the model (no model file
/// needed: a spec refused here never reaches the path).
@Suite struct ImageModelSpecTests {
    /// An ImageNet-style spec for a file that does not exist.
    static func spec(
        name: String = "test-embedder", path: String = "/nonexistent/heaters-test/embedder.onnx",
        width: Int = 224, height: Int = 224, mean: [Float] = [0.485, 0.456, 0.406],
        std: [Float] = [0.229, 0.224, 0.225], dimension: Int = 512
    ) -> ImageModelSpec {
        ImageModelSpec(name: name, path: path, inputWidth: width, inputHeight: height, mean: mean, std: std,
                       channelOrder: .rgb, dimension: dimension)
    }

    /// The problem `spec` is refused for, or nil when it validates.
    static func problem(_ spec: ImageModelSpec) -> String? {
        do throws(VisionError) {
            try spec.validate()
            return nil
        } catch {
            guard case .invalidModelSpec(let name, let problem) = error else {
                Issue.record("expected invalidModelSpec, got \(error)")
                return "\(error)"
            }
            #expect(name == spec.name)
            return problem
        }
    }

    @Test func aTypicalSpecValidates() throws {
        try Self.spec().validate()
        try Self.spec(width: 1, height: 4096, dimension: 1).validate()
        try Self.spec(mean: [0, 0.5, 1], std: [1, 1, 255], dimension: 2000).validate()
    }

    @Test func emptyNameOrPathIsRefused() {
        #expect(Self.problem(Self.spec(name: "")) == "the model name is empty")
        #expect(Self.problem(Self.spec(path: "")) == "the model path is empty")
    }

    @Test(arguments: [(0, 224), (224, 0), (-1, 224), (4097, 224), (224, 100_000)])
    func inputSidesMustBeOneTo4096(width: Int, height: Int) {
        #expect(Self.problem(Self.spec(width: width, height: height))
                == "input size \(width)x\(height): each side must be 1…4096 pixels")
    }

    @Test func meanNeedsThreeValuesInUnitRange() throws {
        #expect(Self.problem(Self.spec(mean: [0.5, 0.5])) == "mean needs 3 values (R, G, B), got 2")
        #expect(Self.problem(Self.spec(mean: [0.5, 0.5, 0.5, 0.5])) == "mean needs 3 values (R, G, B), got 4")
        let scaled = try #require(Self.problem(Self.spec(mean: [123.675, 116.28, 103.53])))
        #expect(scaled.contains("outside 0…1") && scaled.contains("divided by 255"), "\(scaled)")
        #expect(Self.problem(Self.spec(mean: [.nan, 0.5, 0.5])) != nil)
    }

    @Test func stdNeedsThreePositiveValues() {
        #expect(Self.problem(Self.spec(std: [0.2, 0.2])) == "std needs 3 values (R, G, B), got 2")
        for std: [Float] in [[0.2, 0, 0.2], [0.2, -0.1, 0.2], [.infinity, 0.2, 0.2], [.nan, 0.2, 0.2]] {
            #expect(Self.problem(Self.spec(std: std)) == "std \(std) must be 3 positive numbers")
        }
    }

    @Test func dimensionMustFitPgvectorsHNSWIndex() throws {
        #expect(Self.problem(Self.spec(dimension: 0)) == "dimension 0 must be at least 1")
        #expect(Self.problem(Self.spec(dimension: -3)) == "dimension -3 must be at least 1")
        let hnsw = try #require(Self.problem(Self.spec(dimension: 3000)))
        #expect(hnsw == "dimension 3000 exceeds 2000, the most pgvector's HNSW index takes for a vector column")
        let stored = try #require(Self.problem(Self.spec(dimension: 16_001)))
        #expect(stored.contains("16000") && stored.contains("pgvector"), "\(stored)")
    }

    /// The model's initialiser validates first: the path does not exist, yet the error is the
    /// spec's, not a missing file.
    @Test func theModelRefusesAnInvalidSpecBeforeLookingForTheFile() {
        #expect(throws: VisionError.invalidModelSpec(name: "test-embedder", problem: "mean needs 3 values (R, G, B), got 2")) {
            _ = try ImageModel(Self.spec(mean: [0.5, 0.5]))
        }
        let path = Self.spec().path
        #expect(throws: VisionError.modelFileMissing(path: path)) { _ = try ImageModel(Self.spec()) }
    }

    @Test func errorsDescribeTheProblemAndTheFix() {
        let spec = VisionError.invalidModelSpec(name: "clip", problem: "dimension 3000 exceeds 2000")
        #expect(spec.description == "image model \"clip\": dimension 3000 exceeds 2000")
        let missing = VisionError.modelFileMissing(path: "/models/clip.onnx").description
        #expect(missing.contains("not found: /models/clip.onnx"), "\(missing)")
        let unreadable = VisionError.modelUnreadable(path: "/models/clip.onnx", message: "no LayerNormalization").description
        #expect(unreadable.contains("/models/clip.onnx: no LayerNormalization") && unreadable.contains("opset"), "\(unreadable)")
        let mismatch = VisionError.modelOutputMismatch(path: "/models/clip.onnx", actual: 768, expected: 512).description
        #expect(mismatch.contains("outputs 768 values") && mismatch.contains("dimension 512"), "\(mismatch)")
    }
}
