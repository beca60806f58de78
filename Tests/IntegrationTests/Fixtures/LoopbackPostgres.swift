#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A pretend Postgres on 127.0.0.1 for the failures a real server is hard to make do:
/// `.silent` accepts connections and never answers (a server that hangs), `.refusePassword`
/// speaks the protocol as far as asking for a cleartext password and then rejects it as a
/// wrong one (SQLSTATE 28P01), keeping the password it was sent.
final class LoopbackPostgres: @unchecked Sendable {
    enum Behaviour { case silent, refusePassword }

    let port: Int
    private let listener: Int32
    private let behaviour: Behaviour
    private let lock = NSLock()
    private var received: [String] = []
    private var open: [Int32] = []
    private var stopped = false
    private let acceptEnded = DispatchSemaphore(value: 0)

    init(_ behaviour: Behaviour) throws {
        self.behaviour = behaviour
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else { throw FixtureError("loopback postgres: \(String(cString: strerror(errno)))") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// The passwords clients sent.
    var passwords: [String] { lock.withLock { received } }

    /// Closes the listener and the connections still open, each once: a descriptor closed
    /// twice may by then be another test's file in this process (libav's output, say), which
    /// would fail with EBADF for no reason of its own.
    func stop() {
        lock.withLock {
            guard !stopped else { return }
            stopped = true
            shutdown(listener, Int32(SHUT_RDWR))  // wakes the accept loop, which then ends
            // A conversing thread may be reading its connection: shut it down (the read
            // returns) and let that thread close it; silent connections have no thread.
            open.forEach { shutdown($0, Int32(SHUT_RDWR)) }
            if behaviour == .silent {
                open.forEach { close($0) }
                open = []
            }
        }
        acceptEnded.wait()
        close(listener)
    }

    /// Closes a connection the fixture is done with, unless `stop` already did.
    private func finish(_ client: Int32) {
        lock.withLock {
            guard let index = open.firstIndex(of: client) else { return }
            open.remove(at: index)
            close(client)
        }
    }

    private func acceptLoop() {
        defer { acceptEnded.signal() }
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            let kept = lock.withLock { () -> Bool in
                if stopped { return false }
                open.append(client)
                return true
            }
            guard kept else {
                close(client)
                return
            }
            if behaviour == .refusePassword { Thread.detachNewThread { [self] in converse(client) } }
        }
    }

    private func converse(_ client: Int32) {
        defer { finish(client) }
        // SSLRequest / GSSENCRequest (length 8) are declined with 'N'; then the startup message.
        while let message = readMessage(client, typed: false) {
            if message.count == 4 { _ = write(client, "N", 1); continue }
            break
        }
        send(client, type: "R", [0, 0, 0, 3])  // AuthenticationCleartextPassword
        guard let password = readMessage(client, typed: true) else { return }
        lock.withLock { received.append(String(decoding: password.prefix { $0 != 0 }, as: UTF8.self)) }
        var fields: [UInt8] = []
        for (code, text) in [("S", "FATAL"), ("V", "FATAL"), ("C", "28P01"),
                             ("M", "password authentication failed for user \"heaters\"")] {
            fields += Array(code.utf8) + Array(text.utf8) + [0]
        }
        send(client, type: "E", fields + [0])
    }

    /// One message's body: a startup-style message has no type byte.
    private func readMessage(_ client: Int32, typed: Bool) -> [UInt8]? {
        if typed { guard readExactly(client, 1) != nil else { return nil } }
        guard let header = readExactly(client, 4) else { return nil }
        let length = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        guard length >= 4, length < 1 << 16 else { return nil }
        return readExactly(client, length - 4)
    }

    private func readExactly(_ client: Int32, _ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = bytes.withUnsafeMutableBytes { read(client, $0.baseAddress! + got, count - got) }
            guard n > 0 else { return nil }
            got += n
        }
        return bytes
    }

    private func send(_ client: Int32, type: Character, _ body: [UInt8]) {
        let length = UInt32(body.count + 4)
        let message = Array(String(type).utf8) + withUnsafeBytes(of: length.bigEndian, Array.init) + body
        _ = message.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
    }
}
