import Foundation
import Synchronization

/// Frames of an all-intra video (a proxy) by number, small and packed BGR24, for analysis:
/// each frame is one `pread` of its packet (through the `FrameIndex`) and one decode, spread
/// over one decoder per core. Because no frame depends on another, a pass can read every
/// k-th frame for about 1/k of the decoding, and come back for the frames in between.
public final class AnalysisFrameReader: @unchecked Sendable {
    public let index: FrameIndex
    public let width: Int
    public let height: Int
    private let path: String
    private let descriptor: Int32
    private let decoders: [SingleFrameDecoder]

    /// Opens `path` and reads its packet layout; throws `MediaError.notMedia` when a frame is
    /// not a key frame (then only a sequential decode can read it).
    public init(path: String, width requestedWidth: Int = 160, decoders count: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        let index = try FrameIndexBuilder.build(proxy: path)
        self.index = index
        guard index.header.width > 0, index.header.height > 0, index.frameCount > 0 else {
            throw MediaError.undecodable(path: path, reason: "no video frames")
        }
        width = max(8, requestedWidth / 2 * 2)
        height = max(8, Int((Double(width) * Double(index.header.height) / Double(index.header.width) / 2).rounded()) * 2)
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw MediaError.fileNotFound(path: path) }
        self.path = path
        decoders = try (0..<max(1, count)).map { _ in try SingleFrameDecoder(header: index.header, forAnalysis: true) }
    }

    deinit { close(descriptor) }

    public var frameCount: Int { index.frameCount }

    /// The frames `numbers` (each `width × height × 3` bytes), decoded in parallel.
    public func frames(_ numbers: [Int]) throws -> [[UInt8]] {
        var results = [[UInt8]](repeating: [], count: numbers.count)
        let failure = Mutex<(any Error)?>(nil)
        results.withUnsafeMutableBufferPointer { slots in
            let out = UnsafeSendable(slots)
            DispatchQueue.concurrentPerform(iterations: decoders.count) { lane in
                for slot in stride(from: lane, to: numbers.count, by: decoders.count) {
                    do {
                        out.value[slot] = try decode(numbers[slot], with: decoders[lane])
                    } catch {
                        failure.withLock { if $0 == nil { $0 = error } }
                        return
                    }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results
    }

    private func decode(_ n: Int, with decoder: SingleFrameDecoder) throws -> [UInt8] {
        let entry = index.entries[n]
        var bytes = Data(count: Int(entry.size))
        let read = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, Int(entry.size), off_t(entry.offset)) }
        guard read == Int(entry.size) else {
            throw MediaError.notMedia(path: path, reason: "frame \(n): read \(max(read, 0)) of \(entry.size) bytes")
        }
        return try decoder.decodeForAnalysis(bytes, width: width, height: height)
    }
}

/// Lets the parallel lanes write their own slots of one buffer (each slot by one lane only).
private struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
