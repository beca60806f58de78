import Config
import Foundation

/// Where heaters keeps files: originals, gold masters, proxies, frame indexes, exports.
/// Two implementations: a local directory (`LocalObjectStore`) and S3 (`S3ObjectStore`).
/// Every call blocks; call from background threads.
public protocol ObjectStore: Sendable {
    /// Stores the file's bytes under `key`, replacing any object there; readers never see a
    /// partial object.
    func put(file: URL, key: StorageKey) throws
    func put(data: Data, key: StorageKey) throws
    /// Copies the object into `file` (replaced atomically).
    func get(key: StorageKey, to file: URL) throws
    func get(key: StorageKey) throws -> Data
    /// Bytes `range` of the object (one ranged read: a frame of the proxy).
    func get(key: StorageKey, range: Range<Int64>) throws -> Data
    /// Removes the object; removing a missing object is not an error (retries stay safe).
    func delete(key: StorageKey) throws
    func exists(key: StorageKey) throws -> Bool
    /// Keys starting with `prefix`, sorted.
    func list(prefix: String) throws -> [StorageKey]
    /// Where the object is, for people: a local path or an s3:// URL.
    func location(of key: StorageKey) -> String
    /// A local file with the object's bytes, for reading whole (libav opens files): the
    /// object itself where the store is a directory, else a download to `file`.
    func readableFile(key: StorageKey, downloadingTo file: URL) throws -> URL
}

extension ObjectStore {
    public func readableFile(key: StorageKey, downloadingTo file: URL) throws -> URL {
        try get(key: key, to: file)
        return file
    }
}

/// Opens the store a configuration names.
public enum ObjectStores {
    public static func open(_ config: HeatersConfig) throws -> any ObjectStore {
        if config.storage == "local" {
            return try LocalObjectStore(root: config.dataDirectory.appendingPathComponent("storage"))
        }
        return try S3ObjectStore(url: config.storage, aws: config.aws)
    }
}
