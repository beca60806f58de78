import Vision
import Testing

/// HSVDifference through the compiled OpenCV shim, on colours whose HSV values are known.
@Suite struct HSVDifferenceTests {
    @Test func identicalImagesDoNotDiffer() throws {
        let image = BGRImage(width: 16, height: 9, blue: 30, green: 140, red: 200)
        #expect(try HSVDifference.between(image, image) == HSVDifference(hue: 0, saturation: 0, value: 0))
    }

    @Test func blackAndWhiteDifferOnlyInValue() throws {
        let black = BGRImage(width: 8, height: 8, blue: 0, green: 0, red: 0)
        let white = BGRImage(width: 8, height: 8, blue: 255, green: 255, red: 255)
        #expect(try HSVDifference.between(black, white) == HSVDifference(hue: 0, saturation: 0, value: 255))
    }

    @Test func redAndBlueDifferByAThirdOfTheWheel() throws {
        // OpenCV's hue is degrees / 2: red 0, blue 240° → 120; both fully saturated and bright.
        let red = BGRImage(width: 4, height: 4, blue: 0, green: 0, red: 255)
        let blue = BGRImage(width: 4, height: 4, blue: 255, green: 0, red: 0)
        #expect(try HSVDifference.between(red, blue) == HSVDifference(hue: 120, saturation: 0, value: 0))
    }

    @Test func halfTheImageChangedHalvesTheMean() throws {
        // Padded rows (stride > width × 3) must be skipped, so the padding holds junk.
        let width = 4, height = 2, stride = 16
        var a = [UInt8](repeating: 77, count: stride * height)
        var b = a
        for x in 0..<width {
            a.replaceSubrange(x * 3..<x * 3 + 3, with: [0, 0, 0])
            a.replaceSubrange(stride + x * 3..<stride + x * 3 + 3, with: [0, 0, 0])
            b.replaceSubrange(x * 3..<x * 3 + 3, with: [0, 0, 0])
            b.replaceSubrange(stride + x * 3..<stride + x * 3 + 3, with: [255, 255, 255])
        }
        let difference = try HSVDifference.between(
            BGRImage(width: width, height: height, stride: stride, pixels: a),
            BGRImage(width: width, height: height, stride: stride, pixels: b))
        #expect(difference == HSVDifference(hue: 0, saturation: 0, value: 127.5))
    }

    @Test func mismatchedSizesAreRefusedBeforeOpenCV() {
        let small = BGRImage(width: 4, height: 4, blue: 0, green: 0, red: 0)
        let large = BGRImage(width: 8, height: 4, blue: 0, green: 0, red: 0)
        #expect(throws: VisionError.mismatchedImages("4x4/12 vs 8x4/24")) { try HSVDifference.between(small, large) }
    }

    @Test func shortBuffersAreRefusedBeforeOpenCV() {
        let short = BGRImage(width: 4, height: 4, stride: 12, pixels: [UInt8](repeating: 0, count: 40))
        #expect(throws: VisionError.bufferTooSmall(needed: 48, actual: 40)) { try HSVDifference.between(short, short) }
    }

    @Test func invalidGeometryCarriesTheShimMessage() {
        // Stride shorter than a row: only the C side judges geometry, so its message comes back.
        let narrow = BGRImage(width: 4, height: 2, stride: 6, pixels: [UInt8](repeating: 0, count: 24))
        #expect(throws: VisionError.opencv(operation: "hcv_hsv_mean_abs_diff", message: "invalid image geometry")) {
            try HSVDifference.between(narrow, narrow)
        }
        let empty = BGRImage(width: 0, height: 0, stride: 0, pixels: [])
        #expect(throws: VisionError.opencv(operation: "hcv_hsv_mean_abs_diff", message: "invalid image geometry")) {
            try HSVDifference.between(empty, empty)
        }
    }
}

@Test func openCVVersionIsFour() {
    #expect(OpenCV.version.hasPrefix("4."))
}
