import Foundation

/// An exclusive advisory lock on a file (flock), held until `unlock` or deinit. Serialises
/// work between processes on one machine, e.g. two `heaters` starting the same cluster.
public final class FileLock: @unchecked Sendable {
    private var fd: Int32

    /// Blocks until the lock at `path` is ours; the file is created when missing.
    public init(path: URL) throws {
        fd = open(path.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw POSIXFailure("cannot open lock file \(path.path)")
        }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let failure = POSIXFailure("cannot lock \(path.path)")
            close(fd)
            throw failure
        }
    }

    public func unlock() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { unlock() }
}

/// A failed system call, with errno's text.
public struct POSIXFailure: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ what: String, errno code: Int32 = errno) {
        description = "\(what): \(String(cString: strerror(code)))"
    }
}
