import Foundation
import Support

/// Objects as files under a root directory. Writes go to a temporary file in the same
/// folder, then are renamed into place, so a crash never leaves a partial object.
public struct LocalObjectStore: ObjectStore {
    public let root: URL

    public init(root: URL) throws {
        self.root = root
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    public func path(_ key: StorageKey) -> URL { root.appendingPathComponent(key.value) }

    public func put(file: URL, key: StorageKey) throws {
        try atomically(key) { temporary in try FileManager.default.copyItem(at: file, to: temporary) }
    }

    public func put(data: Data, key: StorageKey) throws {
        try atomically(key) { temporary in try data.write(to: temporary) }
    }

    public func get(key: StorageKey, to file: URL) throws {
        let source = try existing(key)
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString).part")
        try FileManager.default.copyItem(at: source, to: temporary)
        guard rename(temporary.path, file.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw StorageError.failed(operation: "get \(key)", message: POSIXFailure("rename into \(file.path)").description)
        }
    }

    /// The object's own file: no copy. Writers replace objects by rename, so a reader keeps
    /// the bytes it opened.
    public func readableFile(key: StorageKey, downloadingTo file: URL) throws -> URL {
        try existing(key)
    }

    public func get(key: StorageKey) throws -> Data {
        try Data(contentsOf: try existing(key))
    }

    public func get(key: StorageKey, range: Range<Int64>) throws -> Data {
        let fd = open(try existing(key).path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError.failed(operation: "read \(key)", message: POSIXFailure("open").description) }
        defer { close(fd) }
        var data = Data(count: Int(range.count))
        let read = data.withUnsafeMutableBytes { pread(fd, $0.baseAddress, Int(range.count), off_t(range.lowerBound)) }
        guard read >= 0 else { throw StorageError.failed(operation: "read \(key)", message: POSIXFailure("pread").description) }
        data.count = read
        return data
    }

    public func delete(key: StorageKey) throws {
        do { try FileManager.default.removeItem(at: path(key)) } catch CocoaError.fileNoSuchFile {}
    }

    public func exists(key: StorageKey) throws -> Bool {
        FileManager.default.fileExists(atPath: path(key).path)
    }

    public func list(prefix: String) throws -> [StorageKey] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var keys: [StorageKey] = []
        let base = root.standardizedFileURL.path + "/"
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(base.count))
            guard relative.hasPrefix(prefix), !url.lastPathComponent.hasSuffix(".part") else { continue }
            // As S3ObjectStore.list: a file heaters cannot name is an error, not skipped.
            do { keys.append(try StorageKey(relative)) } catch {
                throw StorageError.invalidRequest("list \(prefix): the file \"\(relative)\" under the store is not a key heaters "
                                                  + "can address (\(error)); remove or rename it")
            }
        }
        return keys.sorted { $0.value < $1.value }
    }

    public func location(of key: StorageKey) -> String { path(key).path }

    /// Removes the temporary files of writes whose process died before renaming them into
    /// place (kill -9 during a put): those whose writer's pid no longer runs, and, for names
    /// without a pid (written before it was recorded), those untouched for an hour. A write in
    /// progress in a live process is left alone. Returns the removed files' paths.
    @discardableResult
    public func sweepAbandonedWrites(now: Date = Date()) -> [String] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.contentModificationDateKey]) else { return [] }
        var removed: [String] = []
        for case let url as URL in walker where url.lastPathComponent.hasPrefix(".") && url.lastPathComponent.hasSuffix(".part") {
            let parts = url.lastPathComponent.split(separator: ".")
            guard parts.count >= 3 else { continue }
            let writer = parts[parts.count - 2]  // "<pid>-<uuid>", or "<uuid>" in the old form
            let abandoned: Bool
            if writer.count > 37, let dash = writer.firstIndex(of: "-"), let pid = Int32(writer[..<dash]), pid > 0 {
                abandoned = !(kill(pid, 0) == 0 || errno == EPERM)
            } else {
                let modified = (try? url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? now
                abandoned = now.timeIntervalSince(modified) > 3600
            }
            if abandoned, (try? FileManager.default.removeItem(at: url)) != nil { removed.append(url.path) }
        }
        return removed
    }

    private func existing(_ key: StorageKey) throws -> URL {
        let url = path(key)
        guard FileManager.default.fileExists(atPath: url.path) else { throw StorageError.notFound(key: key.value) }
        return url
    }

    private func atomically(_ key: StorageKey, _ write: (URL) throws -> Void) throws {
        let target = path(key)
        // The writer's pid in the name lets a later start-up tell an abandoned write (its
        // process was killed) from one in progress (see sweepAbandonedWrites).
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(getpid())-\(UUID().uuidString).part")
        do {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try write(temporary)
            guard rename(temporary.path, target.path) == 0 else { throw POSIXFailure("rename into \(target.path)") }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            let words = FileErrorText.describe(error)  // not Foundation's `Error Domain=…` dump
            if Outage.isOutage(error) { throw StorageError.unavailable(operation: "put \(key)", message: words) }
            throw StorageError.failed(operation: "put \(key)", message: words)
        }
    }
}
