import Foundation

/// Python's `http.server` serving a folder on 127.0.0.1, for yt-dlp's generic extractor to
/// fetch from. Stopped (SIGKILL) by `stop()`.
struct LoopbackHTTPServer {
    let port: Int
    private let process: Process

    init(serving folder: URL) throws {
        port = Int.random(in: 20_000..<40_000)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", folder.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(700_000)  // time to bind
    }

    func url(_ name: String) -> String { "http://127.0.0.1:\(port)/\(name)" }

    func stop() { kill(process.processIdentifier, SIGKILL) }
}
