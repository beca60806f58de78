import Foundation

/// An exclusive advisory lock on a file (flock), held until `unlock` or deinit. Serialises
/// work between processes on one machine, e.g. two `heaters` starting the same cluster.
public final class FileLock: @unchecked Sendable {
    private var fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// Waits until the lock at `path` is ours (the file is created when missing). It polls
    /// rather than blocking in flock, so a waiting task never holds a concurrency thread.
    public static func acquire(_ path: URL) async throws -> FileLock {
        let fd = open(path.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXFailure("cannot open lock file \(path.path)") }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let failure = POSIXFailure("cannot lock \(path.path)")
                close(fd)
                throw failure
            }
            do { try await Task.sleep(for: .milliseconds(50)) } catch {
                close(fd)
                throw error
            }
        }
        return FileLock(fd: fd)
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
public struct POSIXFailure: OutageSignalling, CustomStringConvertible, Sendable {
    public let description: String
    public let code: Int32
    public init(_ what: String, errno code: Int32 = errno) {
        self.code = code
        description = "\(what): \(String(cString: strerror(code)))"
    }

    /// A full disk is the machine's trouble, not the input's.
    public var isOutage: Bool { Outage.isOutage(errno: code) }
}
