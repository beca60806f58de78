import Foundation
@testable import Storage
import Testing

/// A put killed before its rename leaves `.name.<pid>-<uuid>.part` behind; the next start-up
/// removes those of dead writers and keeps a live writer's.
@Suite struct AbandonedWritesTests {
    @Test func theSweepRemovesDeadWritersPartsOnly() throws {
        let dir = try ProjectPaths.freshDirectory("parts")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try LocalObjectStore(root: dir)
        try store.put(data: Data("kept".utf8), key: try StorageKey("clips/1/default.mp4"))
        let folder = dir.appendingPathComponent("clips/1")
        let uuid = UUID().uuidString
        // A pid no process has (above Linux's pid_max), our own, and the old form without a pid.
        let dead = folder.appendingPathComponent(".default.mp4.4999999-\(uuid).part")
        let live = folder.appendingPathComponent(".other.mp4.\(getpid())-\(uuid).part")
        let oldStale = folder.appendingPathComponent(".old.mp4.\(uuid).part")
        let oldFresh = folder.appendingPathComponent(".new.mp4.\(UUID().uuidString).part")
        for file in [dead, live, oldStale, oldFresh] { try Data("partial".utf8).write(to: file) }
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: oldStale.path)

        let removed = store.sweepAbandonedWrites()
        #expect(Set(removed) == [dead.path, oldStale.path])
        for kept in [live, oldFresh] { #expect(FileManager.default.fileExists(atPath: kept.path)) }
        #expect(try store.get(key: try StorageKey("clips/1/default.mp4")) == Data("kept".utf8), "objects are never touched")
        #expect(try store.list(prefix: "clips/").map(\.value) == ["clips/1/default.mp4"])
    }
}
