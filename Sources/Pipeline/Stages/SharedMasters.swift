import Foundation
import Storage
import Synchronization

/// Gold masters fetched for export, shared by the clips of one source: the clips of a source
/// approved together are exported from one local copy, fetched once (from S3; a local store's
/// file is used where it lies). A copy in use is never removed; unused ones beyond the last
/// `capacity` go. Copies live in the process's scratch folder, removed when it exits.
final class SharedMasters: Sendable {
    static let shared = SharedMasters()

    private struct Entry {
        var file: URL
        var users = 0
        var lastUsed: UInt64
        var downloaded: Bool
        /// Possibly damaged: given to no one again, removed once unused.
        var stale = false
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// One fetch at a time: two clips of one source waiting for its master fetch it once.
    private let fetching = Mutex<Void>(())
    private let capacity = 2

    /// The master's local file, held until `release`.
    func acquire(_ key: StorageKey, storage: any ObjectStore, scratch: URL) throws -> URL {
        if let file = take(key) { return file }
        return try fetching.withLock { _ in
            if let file = take(key) { return file }
            let folder = scratch.appendingPathComponent("masters")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let name = key.value.replacingOccurrences(of: "/", with: "_")
            let target = folder.appendingPathComponent(name)
            let file = try storage.readableFile(key: key, downloadingTo: target)
            entries.withLock { entries in
                // A stale copy still in use keeps its file until then: the fresh one has the same name only when
                // it is the store's own file, which needs no removing.
                entries[key.value] = Entry(file: file, users: 1, lastUsed: DispatchTime.now().uptimeNanoseconds,
                                           downloaded: file.standardizedFileURL == target.standardizedFileURL)
            }
            evictUnused()
            return file
        }
    }

    func release(_ key: StorageKey) {
        entries.withLock { entries in
            if var entry = entries[key.value] {
                entry.users = max(0, entry.users - 1)
                entries[key.value] = entry
            }
        }
        evictUnused()
    }

    /// Drops the copy once unused (it may be damaged): the next export fetches it again.
    func forget(_ key: StorageKey) {
        entries.withLock { entries in entries[key.value]?.stale = true }
        evictUnused()
    }

    private func take(_ key: StorageKey) -> URL? {
        entries.withLock { entries in
            guard var entry = entries[key.value], !entry.stale, FileManager.default.fileExists(atPath: entry.file.path) else {
                return nil
            }
            entry.users += 1
            entry.lastUsed = DispatchTime.now().uptimeNanoseconds
            entries[key.value] = entry
            return entry.file
        }
    }

    private func evictUnused() {
        let removed: [Entry] = entries.withLock { entries in
            var gone = entries.filter { $0.value.users == 0 && $0.value.stale }.map(\.key)
            let unused = entries.filter { $0.value.users == 0 && !$0.value.stale }.sorted { $0.value.lastUsed < $1.value.lastUsed }
            gone += unused.prefix(max(0, entries.count - gone.count - capacity)).map(\.key)
            return gone.compactMap { entries.removeValue(forKey: $0) }
        }
        for entry in removed where entry.downloaded { try? FileManager.default.removeItem(at: entry.file) }
    }
}
