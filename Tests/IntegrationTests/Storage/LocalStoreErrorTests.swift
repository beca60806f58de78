import Foundation
@testable import Storage
import Testing

/// A local put that the file system refuses says which file and why in words, as jobs
/// store and `heaters status` shows it, not Foundation's `Error Domain=… UserInfo={…}` dump.
@Suite struct LocalStoreErrorTests {
    @Test func aRefusedPutNamesTheFileAndTheReason() throws {
        let dir = try ProjectPaths.freshDirectory("local-put-error")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try LocalObjectStore(root: dir)
        try Data("a file where the sources folder belongs".utf8).write(to: dir.appendingPathComponent("sources"))
        let thrown = #expect(throws: StorageError.self) {
            try store.put(data: Data("gold".utf8), key: try StorageKey("sources/1/gold.mkv"))
        }
        let message = "\(try #require(thrown))"
        #expect(!message.contains("Error Domain") && !message.contains("UserInfo"), "\(message)")
        #expect(message.contains("put sources/1/gold.mkv") && message.contains("is a file, not a folder"), "\(message)")
    }
}
