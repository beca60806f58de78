import Foundation
@testable import Storage

/// `faulty-proxy.py` in front of an S3 server: answers 503 for a share of requests, cuts
/// connections for another share (before or after the store saw the request), or is `down`
/// altogether. Killed by `stop()` or deinit.
final class FaultyS3Proxy {
    let endpoint: String
    private let process: Process

    /// What the proxy did so far.
    struct Counters: Decodable {
        var requests: Int
        var forwarded: Int
        var unavailable: Int
        var cut_before: Int
        var cut_after: Int
        var faults: Int { unavailable + cut_before + cut_after }
    }

    init(upstream: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [ProjectPaths.root.appendingPathComponent("Tests/IntegrationTests/Fixtures/faulty-proxy.py").path, upstream]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard let port = line.firstMatch(of: /port (\d+)/).flatMap({ Int($0.1) }) else {
            kill(process.processIdentifier, SIGKILL)
            throw FixtureError("faulty-proxy.py did not start: \(line)")
        }
        endpoint = "http://127.0.0.1:\(port)"
    }

    deinit { stop() }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Sets the shares of requests answered 503 and cut, and whether everything is refused.
    func set(unavailable: Double = 0, cut: Double = 0, down: Bool = false) throws {
        let body = try JSONSerialization.data(withJSONObject: ["unavailable": unavailable, "cut": cut, "down": down])
        let response = try CurlHTTPClient(timeoutSeconds: 10).perform(HTTPRequest(method: "POST", url: "\(endpoint)/__faults__", body: body))
        guard response.status == 200 else { throw FixtureError("faulty-proxy control answered \(response.status)") }
    }

    func counters() throws -> Counters {
        let response = try CurlHTTPClient(timeoutSeconds: 10).perform(HTTPRequest(method: "GET", url: "\(endpoint)/__faults__"))
        return try JSONDecoder().decode(Counters.self, from: response.body)
    }
}
