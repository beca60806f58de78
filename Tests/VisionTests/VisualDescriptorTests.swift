import Testing
import Vision

/// The built-in visual descriptor on synthetic pixels (no media files): shape, unit norm,
/// determinism, flat images, input checks, and the vector helpers.
@Suite struct VisualDescriptorTests {
    /// A packed BGR image whose pixel at (x, y) is `colour(x, y)`.
    static func image(width: Int, height: Int, _ colour: (Int, Int) -> (UInt8, UInt8, UInt8)) -> [UInt8] {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let (b, g, r) = colour(x, y)
                pixels += [b, g, r]
            }
        }
        return pixels
    }

    static func norm(_ vector: [Float]) -> Double {
        vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
    }

    @Test func theModelIsNamedAndHas256Dimensions() {
        #expect(VisualDescriptor.dimension == 256)
        #expect(VisualDescriptor.modelName == "heaters-descriptor-v1")
    }

    @Test func vectorsHaveTheDimensionUnitNormAndAreDeterministic() throws {
        let pixels = Self.image(width: 96, height: 54) { x, y in
            (UInt8(x * 2), UInt8(y * 4), UInt8((x ^ y) & 0xFF))
        }
        let vector = try VisualDescriptor.describe(bgr: pixels, width: 96, height: 54)
        #expect(vector.count == VisualDescriptor.dimension)
        #expect(abs(Self.norm(vector) - 1) < 1e-5)
        #expect(vector[240...].allSatisfy { $0 == 0 }, "reserved values")
        #expect(try VisualDescriptor.describe(bgr: pixels, width: 96, height: 54) == vector)
        #expect(VisualDescriptor.cosineDistance(vector, vector) < 1e-6)
    }

    @Test func flatImagesGiveFiniteUnitVectorsThatTellColoursApart() throws {
        var vectors: [[Float]] = []
        for (b, g, r) in [(0, 0, 0), (255, 255, 255), (128, 128, 128), (0, 0, 255), (255, 0, 0)] as [(UInt8, UInt8, UInt8)] {
            let vector = try VisualDescriptor.describe(bgr: Self.image(width: 32, height: 32) { _, _ in (b, g, r) },
                                                       width: 32, height: 32)
            #expect(vector.allSatisfy { $0.isFinite }, "\(b),\(g),\(r)")
            #expect(abs(Self.norm(vector) - 1) < 1e-5, "\(b),\(g),\(r)")
            vectors.append(vector)
        }
        for i in vectors.indices {
            for j in vectors.indices where j > i {
                #expect(VisualDescriptor.cosineDistance(vectors[i], vectors[j]) > 0.1, "\(i) vs \(j)")
            }
        }
    }

    @Test func tinyAndLargeImagesWork() throws {
        let one = try VisualDescriptor.describe(bgr: [10, 200, 30], width: 1, height: 1)
        #expect(abs(Self.norm(one) - 1) < 1e-5)
        let wide = try VisualDescriptor.describe(bgr: Self.image(width: 1000, height: 3) { x, _ in (UInt8(x % 256), 0, 0) },
                                                 width: 1000, height: 3)
        #expect(abs(Self.norm(wide) - 1) < 1e-5)
    }

    @Test func wrongGeometryOrBytesThrow() {
        #expect(throws: VisionError.invalidImage("4x4 BGR needs 48 bytes, got 47")) {
            try VisualDescriptor.describe(bgr: [UInt8](repeating: 0, count: 47), width: 4, height: 4)
        }
        #expect(throws: VisionError.invalidImage("4x4 BGR needs 48 bytes, got 60")) {
            try VisualDescriptor.describe(bgr: [UInt8](repeating: 0, count: 60), width: 4, height: 4)
        }
        #expect(throws: VisionError.invalidImage("image size 0x4")) {
            try VisualDescriptor.describe(bgr: [], width: 0, height: 4)
        }
        #expect(throws: VisionError.invalidImage("image size -1x-1")) {
            try VisualDescriptor.describe(bgr: [1, 2, 3], width: -1, height: -1)
        }
        #expect(throws: VisionError.invalidImage("empty image data")) { try VisualDescriptor.describe(jpeg: []) }
        #expect(throws: VisionError.invalidImage("not a JPEG (no SOI marker)")) {
            try VisualDescriptor.describe(jpeg: Array("hello, world".utf8))
        }
        #expect(throws: VisionError.invalidImage("not a JPEG (no SOI marker)")) { try VisualDescriptor.describe(jpeg: [0xFF, 0xD8]) }
        #expect(throws: VisionError.invalidImage("JPEG could not be decoded")) {
            try VisualDescriptor.describe(jpeg: [0xFF, 0xD8, 0xFF, 0xE0, 0, 16] + [UInt8](repeating: 0x41, count: 64))
        }
    }

    @Test func averageIsTheNormalisedMean() {
        let a: [Float] = [1, 0, 0], b: [Float] = [0, 1, 0]
        let mean = VisualDescriptor.average([a, b])
        #expect(abs(mean[0] - 0.70710678) < 1e-6 && abs(mean[1] - 0.70710678) < 1e-6 && mean[2] == 0)
        #expect(VisualDescriptor.average([a]) == a)
        #expect(VisualDescriptor.average([]) == [])
        #expect(VisualDescriptor.average([a, a.map { -$0 }]) == [0, 0, 0])
    }

    @Test func cosineDistanceRunsFromZeroToTwo() {
        #expect(VisualDescriptor.cosineDistance([1, 0], [2, 0]) == 0)
        #expect(abs(VisualDescriptor.cosineDistance([1, 0], [0, 3]) - 1) < 1e-6)
        #expect(VisualDescriptor.cosineDistance([1, 0], [-1, 0]) == 2)
        #expect(VisualDescriptor.cosineDistance([0, 0], [1, 0]) == 1)
    }
}
