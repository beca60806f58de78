#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

// File access by the path's bytes: Foundation's file APIs take Strings, which would replace
// the bytes that are not UTF-8 and so name a different (usually missing) file.

extension LocalPath {
    /// What is at the path, for a check with a message a person understands.
    public enum Status: Equatable, Sendable {
        case file(size: Int64)
        case directory
        case missing
        /// Exists but cannot be read (permissions), or cannot be examined at all.
        case unreadable(reason: String)
    }

    public var status: Status {
        var info = stat()
        let found = withCString { stat($0, &info) }
        guard found == 0 else {
            return errno == ENOENT || errno == ENOTDIR ? .missing : .unreadable(reason: String(cString: strerror(errno)))
        }
        if info.st_mode & S_IFMT == S_IFDIR { return .directory }
        guard withCString({ access($0, R_OK) }) == 0 else { return .unreadable(reason: String(cString: strerror(errno))) }
        return .file(size: Int64(info.st_size))
    }

    /// Copies the file at this path to `destination` (created or replaced).
    public func copy(to destination: URL) throws(FileError) {
        let source = withCString { open($0, O_RDONLY | O_CLOEXEC) }
        guard source >= 0 else { throw FileError(path: displayText, operation: "open", code: errno) }
        defer { close(source) }
        let target = open(destination.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard target >= 0 else { throw FileError(path: destination.path, operation: "create", code: errno) }
        defer { close(target) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count == 0 { return }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError(path: displayText, operation: "read", code: errno)
            }
            var offset = 0
            while offset < count {
                let wrote = buffer.withUnsafeBytes { write(target, $0.baseAddress! + offset, count - offset) }
                if wrote < 0 {
                    if errno == EINTR { continue }
                    throw FileError(path: destination.path, operation: "write", code: errno)
                }
                offset += wrote
            }
        }
    }

    /// The working directory as bytes (Foundation's `currentDirectoryPath` is a String).
    public static func currentDirectory() throws(FileError) -> LocalPath {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { throw FileError(path: ".", operation: "getcwd", code: errno) }
        return LocalPath(bytes: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) })
    }

    /// Calls `body` with the path as a NUL-terminated C string.
    public func withCString<Result>(_ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
        try (bytes.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// A file operation on a path failed.
    public struct FileError: Error, CustomStringConvertible {
        public var path: String
        public var operation: String
        public var code: Int32
        public var description: String {
            code == ENOENT ? "the file \(path) does not exist"
                : "cannot \(operation) \(path): \(String(cString: strerror(code)))"
        }
    }
}
