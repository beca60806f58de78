import Foundation
@testable import Media
@testable import Storage
import Testing

/// Frame n through the index (one ranged read, one decode) equals frame n of a sequential
/// decode of the same proxy, from local storage and from S3.
@Suite(.timeLimit(.minutes(12))) struct FrameSourceTests {
    static let width = 320, height = 180, frames = 50

    /// An all-intra H.264 proxy made by the ffmpeg CLI (the reference tool, fine in tests).
    static func proxy(in dir: URL) throws -> URL {
        let file = dir.appendingPathComponent("proxy.mp4")
        try VideoFixtures.run(["-f", "lavfi", "-i", "testsrc2=size=\(width)x\(height):rate=25", "-frames:v", "\(frames)",
                               "-c:v", "libx264", "-g", "1", "-x264-params", "keyint=1", "-pix_fmt", "yuv420p",
                               "-movflags", "+faststart", file.path])
        return file
    }

    /// Every frame decoded sequentially by the ffmpeg CLI, as raw yuv420p (no conversion).
    static func sequentialFrames(_ proxy: URL, width: Int = width, height: Int = height) throws -> [Data] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("frames-\(UUID().uuidString).yuv")
        defer { try? FileManager.default.removeItem(at: file) }
        try VideoFixtures.run(["-i", proxy.path, "-f", "rawvideo", "-pix_fmt", "yuv420p", file.path])
        let all = try Data(contentsOf: file)
        let size = width * height * 3 / 2
        return stride(from: 0, to: all.count, by: size).map { all[$0 ..< $0 + size] }
    }

    private func check(_ source: FrameSource, against reference: [Data]) throws {
        #expect(source.index.frameCount == Self.frames)
        #expect(reference.count == Self.frames)
        for n in [0, 1, 17, 33, Self.frames - 1, 5] {
            #expect(Data(try source.planes(n)) == reference[n], "frame \(n)")
            let picture = try source.frame(n, width: Self.width, height: Self.height)
            #expect(picture.rgb.count == Self.width * Self.height * 3)
        }
        // Different frames look different (the comparison above is not vacuous).
        #expect(reference[0] != reference[33])
        // Smaller, for the terminal: still decodes, with the requested geometry.
        let small = try source.frame(10, width: 80, height: 45)
        #expect(small.rgb.count == 80 * 45 * 3)
        #expect(throws: MediaError.self) { try source.frame(Self.frames, width: 8, height: 8) }
    }

    @Test func framesFromLocalStorageMatchASequentialDecode() throws {
        let dir = try ProjectPaths.freshDirectory("frames")
        defer { try? FileManager.default.removeItem(at: dir) }
        let proxy = try Self.proxy(in: dir)
        let reference = try Self.sequentialFrames(proxy)
        let index = try FrameIndexBuilder.build(proxy: proxy.path)
        #expect(try FrameIndex(decoding: try index.encoded()) == index)
        let store = try LocalObjectStore(root: dir.appendingPathComponent("store"))
        try store.put(file: proxy, key: try StorageKey("sources/1/proxy.mp4"))
        try store.put(data: try index.encoded(), key: try StorageKey("sources/1/frames.idx"))
        let source = try FrameSource.open(store: store, proxyKey: try StorageKey("sources/1/proxy.mp4"),
                                          indexKey: try StorageKey("sources/1/frames.idx"))
        try check(source, against: reference)
    }

    @Test func framesFromS3MatchASequentialDecode() throws {
        let dir = try ProjectPaths.freshDirectory("frames-s3")
        defer { try? FileManager.default.removeItem(at: dir) }
        let proxy = try Self.proxy(in: dir)
        let reference = try Self.sequentialFrames(proxy)
        let (server, store) = try ObjectStoreTests.s3Store(dir)
        defer { server.stop() }
        try store.put(file: proxy, key: try StorageKey("sources/1/proxy.mp4"))
        try store.put(data: try FrameIndexBuilder.build(proxy: proxy.path).encoded(), key: try StorageKey("sources/1/frames.idx"))
        let source = try FrameSource.open(store: store, proxyKey: try StorageKey("sources/1/proxy.mp4"),
                                          indexKey: try StorageKey("sources/1/frames.idx"))
        try check(source, against: reference)
        let ranged = try server.recordedRequests().filter { ($0["headers"] as? [String: String])?["Range"] != nil }
        #expect(ranged.count >= 6, "each frame is one ranged GET")
    }

    @Test func aProxyWithInterFramesIsRefused() throws {
        let dir = try ProjectPaths.freshDirectory("frames-gop")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("long-gop.mp4")
        try VideoFixtures.run(["-f", "lavfi", "-i", "testsrc2=size=64x64:rate=25", "-frames:v", "30", "-c:v", "libx264",
                               "-g", "30", "-pix_fmt", "yuv420p", file.path])
        #expect(throws: MediaError.self) { try FrameIndexBuilder.build(proxy: file.path) }
    }
}
