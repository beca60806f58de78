import Foundation
import Testing
import Vision

/// The built-in visual descriptor on frames generated at test time with the ffmpeg CLI:
/// a near-duplicate of a shot (re-encoded at low quality, scaled to 90 % and cropped) must
/// rank above every unrelated shot.
@Suite(.timeLimit(.minutes(12))) struct VisualDescriptorTests {
    /// Shot sources (lavfi) with fixed seeds, so every run sees the same pictures.
    static let shots = [
        "testsrc2=size=640x360:rate=25",
        "smptehdbars=size=640x360:rate=25",
        "mandelbrot=size=640x360:rate=25",
        "life=size=640x360:rate=25:seed=7:mold=10:ratio=0.3:death_color=#203040:life_color=#e0a000",
        "rgbtestsrc=size=640x360:rate=25,hue=h=90",
        "cellauto=size=640x360:rate=25:rule=110:seed=11,negate",
        "gradients=size=640x360:rate=25:seed=3:speed=0.05",
        "sierpinski=size=640x360:rate=25:seed=5",
    ]
    static let framesPerShot = 4

    /// One shot's frames: the original as good JPEGs, and its near-duplicate.
    struct Shot {
        var source: String
        var frames: [[UInt8]]
        var nearDuplicates: [[UInt8]]
    }

    /// Encodes `source` as a 2 s H.264 master, extracts 4 frames (2 fps) as quality-2 JPEGs;
    /// the near-duplicate re-encodes the master at CRF 38 and 576×324 (90 %), then crops 12
    /// and 8 pixels off opposite corners and stores quality-12 JPEGs of the same instants.
    static func makeShot(_ source: String, index: Int, in dir: URL) throws -> Shot {
        let master = dir.appendingPathComponent("shot\(index).mp4")
        let copy = dir.appendingPathComponent("shot\(index)-copy.mp4")
        try VideoFixtures.run(["-f", "lavfi", "-t", "2", "-i", source, "-vf", "format=yuv420p,setsar=1",
                               "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", master.path])
        try VideoFixtures.run(["-i", master.path, "-vf", "scale=576:324", "-c:v", "libx264", "-preset", "veryfast",
                               "-crf", "38", "-pix_fmt", "yuv420p", copy.path])
        let frames = try jpegs(from: master, filter: "fps=2", quality: 2, named: "shot\(index)-f", in: dir)
        let copies = try jpegs(from: copy, filter: "fps=2,crop=552:308:12:8", quality: 12, named: "shot\(index)-c", in: dir)
        #expect(frames.count == framesPerShot && copies.count == framesPerShot, "\(source)")
        return Shot(source: source, frames: frames, nearDuplicates: copies)
    }

    static func jpegs(from video: URL, filter: String, quality: Int, named prefix: String, in dir: URL) throws -> [[UInt8]] {
        let pattern = dir.appendingPathComponent("\(prefix)%02d.jpg")
        try VideoFixtures.run(["-i", video.path, "-vf", filter, "-frames:v", "\(framesPerShot)",
                               "-q:v", "\(quality)", pattern.path])
        return try (1...framesPerShot).map { number in
            let file = dir.appendingPathComponent(String(format: "\(prefix)%02d.jpg", number))
            return try [UInt8](Data(contentsOf: file))
        }
    }

    @Test func aNearDuplicateRanksAboveEveryUnrelatedShot() throws {
        let dir = try ProjectPaths.freshDirectory("visual-descriptor")
        defer { try? FileManager.default.removeItem(at: dir) }
        let shots = try Self.shots.enumerated().map { try Self.makeShot($1, index: $0, in: dir) }
        let originals = try shots.map { try $0.frames.map { try VisualDescriptor.describe(jpeg: $0) } }
        let copies = try shots.map { try $0.nearDuplicates.map { try VisualDescriptor.describe(jpeg: $0) } }

        for vector in (originals + copies).joined() {
            #expect(vector.count == VisualDescriptor.dimension)
            #expect(vector.allSatisfy { $0.isFinite })
            let norm = vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
        }

        var worstMargin = Float.infinity
        for (i, shot) in shots.enumerated() {
            for frame in 0..<Self.framesPerShot {
                let base = originals[i][frame]
                let duplicate = VisualDescriptor.cosineDistance(base, copies[i][frame])
                // Unrelated: every other shot's frames, originals and near-duplicates alike.
                let unrelated = shots.indices.filter { $0 != i }.flatMap { j in
                    (originals[j] + copies[j]).map { (Self.shots[j], VisualDescriptor.cosineDistance(base, $0)) }
                }
                let nearest = unrelated.min { $0.1 < $1.1 }!
                worstMargin = min(worstMargin, nearest.1 - duplicate)
                #expect(duplicate < nearest.1,
                        "\(shot.source) frame \(frame): near-duplicate at \(duplicate), \(nearest.0) at \(nearest.1)")
            }
            // The clip vectors (means of the keyframes) rank the same way.
            let clip = VisualDescriptor.average(originals[i])
            let duplicateClip = VisualDescriptor.cosineDistance(clip, VisualDescriptor.average(copies[i]))
            for j in shots.indices where j != i {
                let other = VisualDescriptor.cosineDistance(clip, VisualDescriptor.average(originals[j]))
                #expect(duplicateClip < other, "\(shot.source) clip: near-duplicate \(duplicateClip), \(Self.shots[j]) \(other)")
            }
        }
        print("VisualDescriptorTests: smallest margin between a near-duplicate and the nearest unrelated frame \(worstMargin)")
    }

    @Test func identicalInputGivesIdenticalVectorsAndPixelsMatchTheirJPEG() throws {
        let dir = try ProjectPaths.freshDirectory("visual-descriptor-same")
        defer { try? FileManager.default.removeItem(at: dir) }
        let jpeg = dir.appendingPathComponent("frame.jpg")
        let raw = dir.appendingPathComponent("frame.bgr")
        try VideoFixtures.run(["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-frames:v", "1", "-q:v", "3", jpeg.path])
        // The same JPEG decoded by ffmpeg to packed BGR24: another decoder, nearly the same pixels.
        try VideoFixtures.run(["-i", jpeg.path, "-f", "rawvideo", "-pix_fmt", "bgr24", raw.path])
        let bytes = try [UInt8](Data(contentsOf: jpeg))
        let pixels = try [UInt8](Data(contentsOf: raw))
        let first = try VisualDescriptor.describe(jpeg: bytes)
        #expect(try VisualDescriptor.describe(jpeg: bytes) == first)
        #expect(try VisualDescriptor.describe(jpeg: Array(bytes)) == first)
        let fromPixels = try VisualDescriptor.describe(bgr: pixels, width: 320, height: 240)
        #expect(try VisualDescriptor.describe(bgr: pixels, width: 320, height: 240) == fromPixels)
        #expect(VisualDescriptor.cosineDistance(first, fromPixels) < 0.005)
    }

    @Test func bytesThatAreNotAJPEGThrow() throws {
        let dir = try ProjectPaths.freshDirectory("visual-descriptor-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let png = dir.appendingPathComponent("frame.png")
        try VideoFixtures.run(["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=25", "-frames:v", "1", png.path])
        let pngBytes = try [UInt8](Data(contentsOf: png))
        #expect(throws: VisionError.invalidImage("not a JPEG (no SOI marker)")) { try VisualDescriptor.describe(jpeg: pngBytes) }
        #expect(throws: VisionError.invalidImage("empty image data")) { try VisualDescriptor.describe(jpeg: []) }
        let garbage = [0xFF, 0xD8, 0xFF] + (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        #expect(throws: VisionError.invalidImage("JPEG could not be decoded")) { try VisualDescriptor.describe(jpeg: garbage) }
    }
}
