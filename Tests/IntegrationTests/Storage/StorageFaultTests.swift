import Foundation
@testable import Config
@testable import Storage
import Support
import Testing

/// The S3 store against moto behind a proxy that answers 503 and cuts connections: what the
/// store's retries ride out is stored and read back whole; what they cannot is an outage.
@Suite(.timeLimit(.minutes(12))) struct StorageFaultTests {
    static func store(behind proxy: FaultyS3Proxy, partSize: Int = 5 << 20) throws -> S3ObjectStore {
        var store = try S3ObjectStore(url: "s3://heaters-test/faults", aws: AWSSettings(
            accessKeyID: "test-key", secretAccessKey: "test-secret", sessionToken: nil, region: "us-east-1",
            endpointURL: proxy.endpoint))
        store.partSize = partSize
        return store
    }

    static func pattern(_ count: Int, seed: Int) -> Data {
        var bytes = Data(count: count)
        bytes.withUnsafeMutableBytes { buffer in
            for i in stride(from: 0, to: buffer.count, by: 512) { buffer[i] = UInt8(truncatingIfNeeded: i / 512 + seed) }
        }
        return bytes
    }

    /// Puts (whole and in parts), streamed gets, ranged gets, lists and deletes through a
    /// fifth of requests failing: every object arrives whole and reads back exactly — also
    /// when the store applied a request whose answer was cut (a completed multipart upload
    /// completed again).
    @Test func throughRefusalsAndCutConnectionsEveryObjectArrivesWhole() throws {
        let dir = try ProjectPaths.freshDirectory("s3-faults")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try MotoServer(directory: dir)
        defer { server.stop() }
        let proxy = try FaultyS3Proxy(upstream: server.endpoint)
        defer { proxy.stop() }
        var store = try Self.store(behind: proxy)
        store.attempts = 10  // 0.2^10: the fault rate, not luck, decides the outcome
        try store.createBucket()
        try proxy.set(unavailable: 0.1, cut: 0.1)
        var written: [StorageKey: Data] = [:]
        for round in 0..<6 {
            let big = Self.pattern((11 << 20) + round * 1000, seed: round)
            let file = dir.appendingPathComponent("big-\(round).bin")
            try big.write(to: file)
            let bigKey = try StorageKey("sources/\(round)/gold.mkv")
            try store.put(file: file, key: bigKey)
            let smallKey = try StorageKey("sources/\(round)/frames.idx")
            let small = Self.pattern(4000, seed: round + 100)
            try store.put(data: small, key: smallKey)
            written[bigKey] = big
            written[smallKey] = small
        }
        for (key, bytes) in written {
            let copy = dir.appendingPathComponent("copy.bin")
            try store.get(key: key, to: copy)
            #expect(try Data(contentsOf: copy) == bytes, "\(key) read back whole")
            #expect(try store.get(key: key, range: 1000..<1010) == bytes[1000..<1010])
        }
        #expect(try store.list(prefix: "sources/").count == written.count)
        for key in written.keys { try store.delete(key: key) }
        #expect(try store.list(prefix: "sources/").isEmpty)
        let counters = try proxy.counters()
        print("storage faults: \(counters.requests) requests, \(counters.unavailable) answered 503, "
              + "\(counters.cut_before) cut before and \(counters.cut_after) after reaching the store; 0 objects lost")
        #expect(counters.unavailable > 0 && counters.cut_before > 0 && counters.cut_after > 0, "the faults happened")
        // Nothing half-written is left where a reader could find it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".part") }.isEmpty)
    }

    /// A store that keeps refusing, and one that is not there, fail as outages (which the job
    /// queue waits out without spending attempts); a missing object or a refused signature
    /// does not.
    @Test func aStoreThatKeepsRefusingIsAnOutageAndSaysSo() throws {
        let dir = try ProjectPaths.freshDirectory("s3-outage")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try MotoServer(directory: dir)
        defer { server.stop() }
        let proxy = try FaultyS3Proxy(upstream: server.endpoint)
        defer { proxy.stop() }
        let store = try Self.store(behind: proxy)
        try store.createBucket()
        let key = try StorageKey("sources/1/original.mp4")
        #expect(!Outage.isOutage(try #require(Self.error { _ = try store.get(key: key) })), "a missing object is no outage")

        try proxy.set(down: true)
        let refused = try #require(Self.error { try store.put(data: Data("x".utf8), key: key) })
        #expect(Outage.isOutage(refused), "\(refused)")
        #expect("\(refused)".contains("503") && "\(refused)".contains("unavailable for now"), "\(refused)")
        try proxy.set(down: false)
        #expect(try !store.exists(key: key), "nothing was stored")

        proxy.stop()  // nobody listens there now
        let gone = try #require(Self.error { _ = try store.exists(key: key) })
        #expect(Outage.isOutage(gone), "\(gone)")
    }

    /// A large object is streamed into its file (not held in memory) and arrives whole.
    @Test func aLargeObjectIsStreamedIntoItsFile() throws {
        let dir = try ProjectPaths.freshDirectory("s3-stream")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (server, store) = try ObjectStoreTests.s3Store(dir, checkSignatures: false)
        defer { server.stop() }
        let source = dir.appendingPathComponent("original.bin")
        try Self.pattern(96 << 20, seed: 7).write(to: source)
        let key = try StorageKey("sources/9/original.bin")
        try store.put(file: source, key: key)
        let copy = dir.appendingPathComponent("copy.bin")
        try store.get(key: key, to: copy)
        #expect(FileManager.default.contentsEqual(atPath: source.path, andPath: copy.path))
    }

    static func error(_ body: () throws -> Void) -> (any Error)? {
        do { try body(); return nil } catch { return error }
    }
}
