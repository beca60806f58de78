import Foundation
import Storage

/// Any frame of a source's proxy on demand: one ranged read of that frame's bytes (a pread
/// locally, one ranged GET on S3) and one decode, through the frame index. Recent frames are
/// kept in a small LRU cache, and `prefetch` reads ahead for playback on a background queue.
public final class FrameSource: @unchecked Sendable {
    public let index: FrameIndex
    private let store: any ObjectStore
    private let proxyKey: StorageKey
    private let decoder: SingleFrameDecoder
    private let lock = NSLock()
    private let capacity: Int
    private var cache: [CacheKey: PixelBuffer] = [:]
    private var recency: [CacheKey] = []
    private let readAhead = DispatchQueue(label: "heaters.frames.read-ahead", qos: .utility)

    struct CacheKey: Hashable {
        var frame: Int
        var width: Int
        var height: Int
    }

    public init(store: any ObjectStore, proxyKey: StorageKey, index: FrameIndex, cacheCapacity: Int = 96) throws {
        self.store = store
        self.proxyKey = proxyKey
        self.index = index
        self.capacity = max(cacheCapacity, 1)
        self.decoder = try SingleFrameDecoder(header: index.header)
    }

    /// Loads a source's frame index from the store and opens its proxy.
    public static func open(store: any ObjectStore, proxyKey: StorageKey, indexKey: StorageKey) throws -> FrameSource {
        try FrameSource(store: store, proxyKey: proxyKey, index: try FrameIndex(decoding: try store.get(key: indexKey)))
    }

    /// Frame `n` (0-based, presentation order) as RGB24 at `width`×`height`.
    public func frame(_ n: Int, width: Int, height: Int) throws -> PixelBuffer {
        guard index.entries.indices.contains(n) else {
            throw MediaError.notMedia(path: proxyKey.value, reason: "frame \(n) is outside 0..<\(index.frameCount)")
        }
        let key = CacheKey(frame: n, width: width, height: height)
        if let hit = lock.withLock({ touch(key) }) { return hit }
        let entry = index.entries[n]
        let bytes = try store.get(key: proxyKey, range: entry.offset ..< entry.offset + Int64(entry.size))
        guard bytes.count == Int(entry.size) else {
            throw MediaError.notMedia(path: proxyKey.value, reason: "frame \(n): read \(bytes.count) of \(entry.size) bytes")
        }
        return try lock.withLock {
            if let hit = touch(key) { return hit }
            let picture = try decoder.decode(bytes, width: width, height: height)
            insert(key, picture)
            return picture
        }
    }

    /// Frame `n` in the decoder's own pixel format, planes packed (for exact comparisons).
    public func planes(_ n: Int) throws -> [UInt8] {
        let entry = index.entries[n]
        let bytes = try store.get(key: proxyKey, range: entry.offset ..< entry.offset + Int64(entry.size))
        return try lock.withLock { try decoder.decodePlanes(bytes) }
    }

    /// Starts reading `frames` into the cache in the background (playback read-ahead).
    public func prefetch(_ frames: Range<Int>, width: Int, height: Int) {
        let wanted = frames.clamped(to: 0..<index.frameCount)
        readAhead.async { [self] in
            for n in wanted { _ = try? frame(n, width: width, height: height) }
        }
    }

    private func touch(_ key: CacheKey) -> PixelBuffer? {
        guard let hit = cache[key] else { return nil }
        if let i = recency.firstIndex(of: key) { recency.remove(at: i) }
        recency.append(key)
        return hit
    }

    private func insert(_ key: CacheKey, _ picture: PixelBuffer) {
        cache[key] = picture
        recency.append(key)
        while recency.count > capacity { cache.removeValue(forKey: recency.removeFirst()) }
    }
}
