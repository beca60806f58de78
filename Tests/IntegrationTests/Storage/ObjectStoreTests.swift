import Foundation
@testable import Config
@testable import Storage
import Testing

/// Both object stores through the same protocol: the local directory, and S3 against moto's
/// server on loopback with signature checking on.
@Suite(.timeLimit(.minutes(12))) struct ObjectStoreTests {
    /// Runs `body` on each store implementation.
    private func withEachStore(_ body: (any ObjectStore, String) throws -> Void) throws {
        let dir = try ProjectPaths.freshDirectory("store")
        defer { try? FileManager.default.removeItem(at: dir) }
        try body(try LocalObjectStore(root: dir.appendingPathComponent("local")), "local")
        // moto re-derives the canonical request from the decoded URL, so its signature check
        // rejects correctly signed requests whose path or query holds escaped characters
        // (non-ASCII keys, "/" in a list prefix). This part runs without the check; the
        // tests below run with it.
        let (server, store) = try Self.s3Store(dir, checkSignatures: false)
        defer { server.stop() }
        try body(store, "s3")
    }

    static func s3Store(_ dir: URL, partSize: Int = 16 << 20, checkSignatures: Bool = true) throws -> (MotoServer, S3ObjectStore) {
        let server = try MotoServer(directory: dir, recordRequests: true,
                                    environment: checkSignatures ? ["INITIAL_NO_AUTH_ACTION_COUNT": "3"] : [:])
        let signing = checkSignatures
            ? try CurlSigV4Tests.issueAccessKey(on: server, client: try CurlHTTPClient(timeoutSeconds: 30))
            : AWSSigning(accessKeyID: "test-key", secretAccessKey: "test-secret")
        var store = try S3ObjectStore(url: "s3://heaters-test/run-1", aws: AWSSettings(
            accessKeyID: signing.accessKeyID, secretAccessKey: signing.secretAccessKey, sessionToken: nil,
            region: "us-east-1", endpointURL: server.endpoint))
        store.partSize = partSize
        try store.createBucket()
        return (server, store)
    }

    @Test func putGetRangeListDelete() throws {
        try withEachStore { store, name in
            let key = try StorageKey("sources/7/frame index ü.bin")
            let payload = Data((0..<200).map { UInt8($0) })
            try store.put(data: payload, key: key)
            try store.put(data: Data("x".utf8), key: try StorageKey("sources/8/other.txt"))
            #expect(try store.get(key: key) == payload, "\(name)")
            #expect(try store.get(key: key, range: 10..<14) == Data([10, 11, 12, 13]), "\(name)")
            #expect(try store.exists(key: key), "\(name)")
            #expect(try store.list(prefix: "sources/7/").map(\.value) == ["sources/7/frame index ü.bin"], "\(name)")
            #expect(try store.list(prefix: "sources/").count == 2, "\(name)")

            let file = FileManager.default.temporaryDirectory.appendingPathComponent("copy-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: file) }
            try store.get(key: key, to: file)
            #expect(try Data(contentsOf: file) == payload, "\(name)")
            let readable = FileManager.default.temporaryDirectory.appendingPathComponent("read-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: readable) }
            let opened = try store.readableFile(key: key, downloadingTo: readable)
            #expect(try Data(contentsOf: opened) == payload, "\(name)")
            // A directory store hands out the object itself; S3 downloads to the file given.
            #expect(opened == (store is LocalObjectStore ? (store as! LocalObjectStore).path(key) : readable), "\(name)")

            try store.delete(key: key)
            try store.delete(key: key)  // deleting twice is fine: retries stay safe
            #expect(try !store.exists(key: key), "\(name)")
            #expect(throws: StorageError.self, "\(name)") { _ = try store.get(key: key) }
        }
    }

    @Test func signedRequestsAreCheckedByTheServer() throws {
        let dir = try ProjectPaths.freshDirectory("s3signed")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (server, store) = try Self.s3Store(dir)
        defer { server.stop() }
        let key = try StorageKey("sources/3/proxy.mp4")
        let payload = Data((0..<100).map { UInt8($0) })
        try store.put(data: payload, key: key)
        #expect(try store.get(key: key, range: 90..<100) == payload[90..<100])
        #expect(try store.exists(key: key))
        try store.delete(key: key)
        #expect(try !store.exists(key: key))
    }

    @Test func aFileLargerThanOnePartGoesUpInParts() throws {
        let dir = try ProjectPaths.freshDirectory("multipart")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (server, store) = try Self.s3Store(dir, partSize: 5 << 20)
        defer { server.stop() }
        let file = dir.appendingPathComponent("gold.mkv")
        var bytes = Data(count: (11 << 20) + 12345)
        bytes.withUnsafeMutableBytes { buffer in
            for i in stride(from: 0, to: buffer.count, by: 4096) { buffer[i] = UInt8(truncatingIfNeeded: i / 4096) }
        }
        try bytes.write(to: file)
        let key = try StorageKey("sources/1/gold.mkv")
        try store.put(file: file, key: key)
        #expect(try store.get(key: key) == bytes)
        #expect(try store.get(key: key, range: 5_242_880..<5_242_890) == bytes[5_242_880..<5_242_890])
        let parts = try server.recordedRequests().filter { ($0["url"] as? String ?? "").contains("partNumber=") }
        #expect(parts.count == 3, "11 MiB in 5 MiB parts")
        #expect(store.location(of: key) == "s3://heaters-test/run-1/sources/1/gold.mkv")
    }

    @Test func aWrongSecretIsRefusedWithoutShowingIt() throws {
        let dir = try ProjectPaths.freshDirectory("s3auth")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (server, good) = try Self.s3Store(dir)
        defer { server.stop() }
        let bad = try S3ObjectStore(url: "s3://heaters-test", aws: AWSSettings(
            accessKeyID: good.signing.accessKeyID, secretAccessKey: "not-the-secret-42", sessionToken: nil,
            region: "us-east-1", endpointURL: server.endpoint))
        do {
            try bad.put(data: Data("x".utf8), key: try StorageKey("x"))
            Issue.record("a wrongly signed put succeeded")
        } catch {
            #expect("\(error)".contains("403"), "\(error)")
            #expect(!"\(error)".contains("not-the-secret-42"))
        }
    }

    /// An object another tool wrote under the prefix with a name heaters cannot address is a
    /// listing error naming it, not silently skipped (an archive would leave it behind).
    @Test func anObjectHeatersCannotNameFailsTheListingWithItsName() throws {
        let dir = try ProjectPaths.freshDirectory("s3list")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (server, store) = try Self.s3Store(dir, checkSignatures: false)
        defer { server.stop() }
        try store.put(data: Data("ok".utf8), key: try StorageKey("clips/7/default.mp4"))
        #expect(try store.list(prefix: "clips/7/").map(\.value) == ["clips/7/default.mp4"])
        let foreign = try CurlHTTPClient(timeoutSeconds: 30).perform(
            HTTPRequest(method: "PUT", url: "\(server.endpoint)/heaters-test/run-1/clips/7//stray.bin", body: Data("x".utf8)),
            signing: store.signing)
        #expect(foreign.status == 200)
        #expect {
            _ = try store.list(prefix: "clips/7/")
        } throws: { error in
            "\(error)".contains("clips/7//stray.bin") && "\(error)".contains("not a key heaters can address")
        }
    }

    /// A process killed mid-upload leaves a multipart upload open (its parts stored and
    /// billed); the start-up sweep lists and aborts those older than its threshold.
    @Test func anAbandonedMultipartUploadIsFoundAndAborted() throws {
        let dir = try ProjectPaths.freshDirectory("s3mpu")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (server, store) = try Self.s3Store(dir, checkSignatures: false)
        defer { server.stop() }
        let client = try CurlHTTPClient(timeoutSeconds: 30)
        let started = try client.perform(HTTPRequest(method: "POST", url: "\(server.endpoint)/heaters-test/run-1/sources/3/gold.mkv?uploads="),
                                         signing: store.signing)
        #expect(started.status == 200)
        let open = try store.unfinishedUploads()
        #expect(open.map(\.key) == ["run-1/sources/3/gold.mkv"] && open.first?.initiated != nil)
        // moto reports every upload as initiated in 2010, so "fresh" is set by the clock passed in.
        let initiated = try #require(open.first?.initiated)
        #expect(try store.abortAbandonedUploads(now: initiated.addingTimeInterval(3600)).isEmpty,
                "an hour-old upload may be another process's, in progress")
        #expect(try store.abortAbandonedUploads(now: initiated.addingTimeInterval(2 * 86_400)).map(\.key) == ["run-1/sources/3/gold.mkv"])
        #expect(try store.unfinishedUploads().isEmpty)
    }

    @Test func aMissingObjectIsNotFound() throws {
        let dir = try ProjectPaths.freshDirectory("local404")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try LocalObjectStore(root: dir)
        #expect(throws: StorageError.notFound(key: "missing/x")) { _ = try store.get(key: try StorageKey("missing/x")) }
        #expect(try !store.exists(key: try StorageKey("missing/x")))
    }
}
