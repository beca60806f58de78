import Foundation

/// A self-pipe: background threads write a byte to wake the main loop, which polls this
/// pipe and the keyboard together.
final class WakeupPipe: @unchecked Sendable {
    let readEnd: Int32
    private let writeEnd: Int32

    init() throws {
        var fds: [Int32] = [0, 0]
        // Close-on-exec: child processes (yt-dlp, Postgres) must not inherit it.
        // (pipe2 is not visible to Swift's Glibc module, hence pipe and fcntl.)
        guard pipe(&fds) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EMFILE) }
        readEnd = fds[0]
        writeEnd = fds[1]
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
    }

    func wake() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &buffer, buffer.count) > 0 {}
    }

    /// Waits until a key is pressed, a wake-up arrives, or `milliseconds` pass.
    func waitForInput(milliseconds: Int32) {
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 2, milliseconds)
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }
}
