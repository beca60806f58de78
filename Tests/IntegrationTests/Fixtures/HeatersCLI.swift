import Foundation

/// Runs the built `heaters` executable as a child process (argument vector, no shell).
enum HeatersCLI {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
        var output: String { stdout + stderr }
    }

    /// The environment tests run heaters in: no user config, the checkout's .venv.
    static func environment(dataDirectory: URL, extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["HEATERS_DATA_DIR"] = dataDirectory.path
        env["XDG_CONFIG_HOME"] = dataDirectory.appendingPathComponent("config").path
        env["HEATERS_VENV"] = ProjectPaths.venv.path
        env.removeValue(forKey: "DATABASE_URL")
        env.merge(extra) { $1 }
        return env
    }

    /// Stops the cluster of a test's data dir and deletes the folder (clusters are ~40 MB).
    static func stopAndRemove(_ folder: URL, dataDirectory: URL? = nil, extra: [String: String] = [:]) {
        let data = dataDirectory ?? folder
        _ = try? run(["db", "stop"], dataDirectory: data, extra: extra)
        // Run as root, the cluster was relocated under /var/lib/heaters/clusters (ClusterLayout)
        // and the data dir holds a link to it: remove what the link points to as well, or
        // every test run leaves its clusters behind (tens of MB each).
        if let cluster = try? FileManager.default.destinationOfSymbolicLink(atPath: data.appendingPathComponent("postgres").path),
           cluster.hasPrefix("/var/lib/heaters/clusters/") {
            try? FileManager.default.removeItem(atPath: cluster)
        }
        try? FileManager.default.removeItem(at: folder)
    }

    static func run(_ arguments: [String], dataDirectory: URL, extra: [String: String] = [:]) throws -> Outcome {
        try runProgram(ProjectPaths.heatersBinary, arguments, environment: environment(dataDirectory: dataDirectory, extra: extra))
    }

    /// Starts heaters without waiting for it.
    static func launch(_ arguments: [String], dataDirectory: URL, extra: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = ProjectPaths.heatersBinary
        process.arguments = arguments
        process.environment = environment(dataDirectory: dataDirectory, extra: extra)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs a program to its end, killing it after `timeout` so that a hang fails the test
    /// instead of stalling the run.
    static func runProgram(_ program: URL, _ arguments: [String], environment: [String: String]? = nil,
                           timeout: TimeInterval = 180) throws -> Outcome {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        // Read both pipes before waiting, so a chatty child cannot block on a full pipe.
        let errData = OnceValue<Data>()
        let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.isSet { usleep(1000) }
        return Outcome(status: process.terminationStatus,
                       stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData.value, as: UTF8.self))
    }
}

/// A value set once by another thread.
final class OnceValue<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?
    func set(_ value: Value) { lock.withLock { stored = value } }
    var isSet: Bool { lock.withLock { stored != nil } }
    var value: Value { lock.withLock { stored! } }
}
