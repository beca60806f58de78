#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A real S3-protocol server (moto, from the project virtualenv) on a free loopback port,
/// for storage tests. Stop it with `stop()`; deinit stops it too, so a failing test that
/// throws before its cleanup still does not leak the process.
final class MotoServer {
    let port: Int
    /// The base URL, e.g. http://127.0.0.1:45123
    let endpoint: String
    /// JSON lines, one per request moto received (moto's recorder), when recording was asked for.
    let recording: URL?
    private let process: Process
    private let log: URL

    /// moto could not start or did not answer in time; `log` is its output.
    struct StartFailed: Error, CustomStringConvertible {
        var reason: String
        var log: String
        var description: String { "moto_server: \(reason)\n\(log)" }
    }

    /// Starts `moto_server` with its files in `directory` and waits until it accepts connections.
    /// - Parameter environment: extra variables, e.g. `INITIAL_NO_AUTH_ACTION_COUNT` to make
    ///   moto verify signatures.
    init(directory: URL, recordRequests: Bool = false, environment: [String: String] = [:]) throws {
        let port = try Self.freePort()
        self.port = port
        self.endpoint = "http://127.0.0.1:\(port)"
        self.log = directory.appendingPathComponent("moto.log")
        self.recording = recordRequests ? directory.appendingPathComponent("moto-recording.jsonl") : nil

        var variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let recording {
            variables["MOTO_ENABLE_RECORDING"] = "1"
            variables["MOTO_RECORDER_FILEPATH"] = recording.path
        }
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        process = Process()
        process.executableURL = ProjectPaths.venv.appendingPathComponent("bin/moto_server")
        process.arguments = ["-H", "127.0.0.1", "-p", "\(port)"]
        process.environment = variables
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try output.close()
        do {
            try waitUntilListening(timeout: 30)
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    /// Kills the server and waits for it; safe to call more than once.
    func stop() {
        guard process.isRunning else { return }
        // SIGKILL, not Process.terminate(): a child spawned from a Swift Testing worker thread
        // inherits that thread's blocked-signal mask, so moto never receives SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The requests moto recorded, oldest first, as decoded JSON objects.
    func recordedRequests() throws -> [[String: Any]] {
        guard let recording, let data = FileManager.default.contents(atPath: recording.path) else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map {
            try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] ?? [:]
        }
    }

    private func waitUntilListening(timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard process.isRunning else { throw StartFailed(reason: "exited with \(process.terminationStatus)", log: logText) }
            if Self.accepts(port: port) { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw StartFailed(reason: "no answer on port \(port) after \(Int(timeout)) s", log: logText)
    }

    private var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Asks the kernel for an unused loopback port (bind to port 0), then releases it.
    /// Another process could take it before moto does; on loopback in a test run that is rare.
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StartFailed(reason: "socket() failed: errno \(errno)", log: "") }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw StartFailed(reason: "bind() failed: errno \(errno)", log: "") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
