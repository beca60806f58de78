import Foundation
import Subprocess
import SystemPackage

/// Runs a child process from an argument vector (never through a shell) and collects its
/// output. The one place heaters starts programs, so every call site gets the same rules.
public enum ProcessRunner {
    /// What a finished child left behind.
    public struct Outcome: Sendable {
        public var exitCode: Int32?
        public var signal: Int32?
        public var standardOutput: String
        public var standardError: String
        public var succeeded: Bool { exitCode == 0 }
        /// The exit described for an error message ("exit 3", "signal 9").
        public var exitDescription: String {
            if let exitCode { return "exit \(exitCode)" }
            return "signal \(signal ?? 0)"
        }
    }

    /// The identity to run the child as (for the embedded Postgres when heaters is root).
    public struct Identity: Sendable {
        public var uid: uid_t
        public var gid: gid_t
        public init(uid: uid_t, gid: gid_t) { self.uid = uid; self.gid = gid }
    }

    /// Runs `executable` and waits for it, sending its output to /dev/null: for programs that
    /// leave a daemon behind (tmux, say) which would keep captured pipes open forever.
    public static func runDiscardingOutput(_ executable: URL, _ arguments: [String]) async throws -> Outcome {
        let result = try await Subprocess.run(.path(FilePath(executable.path)), arguments: Arguments(arguments),
                                              output: .discarded, error: .discarded)
        var outcome = Outcome(exitCode: nil, signal: nil, standardOutput: "", standardError: "")
        switch result.terminationStatus {
        case .exited(let code): outcome.exitCode = code
        case .signaled(let sig): outcome.signal = sig
        }
        return outcome
    }

    /// Runs `executable`, handing each line of its standard output to `onLine` as it comes
    /// (progress of a long download); standard error is collected for the outcome.
    ///
    /// The child leads its own process group, so that when the task is cancelled (a job
    /// cancelled, SIGTERM) it and what it started (yt-dlp's ffmpeg) get SIGTERM, then SIGKILL
    /// after 3 seconds, instead of running on after heaters stopped waiting.
    public static func runStreaming(_ executable: URL, _ arguments: [String],
                                    onLine: @escaping @Sendable (String) -> Void) async throws -> Outcome {
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(3))]
        let result = try await Subprocess.run(
            .path(FilePath(executable.path)), arguments: Arguments(arguments), platformOptions: options,
            input: .none, output: .sequence, error: .string(limit: 4 << 20)
        ) { execution in
            for try await line in execution.standardOutput.strings() { onLine(line) }
        }
        var outcome = Outcome(exitCode: nil, signal: nil, standardOutput: "", standardError: result.standardError)
        switch result.terminationStatus {
        case .exited(let code): outcome.exitCode = code
        case .signaled(let sig): outcome.signal = sig
        }
        return outcome
    }

    /// Runs `executable` with `arguments` and waits for it.
    /// - Parameter environment: variables to set or (with nil) remove on top of ours.
    public static func run(
        _ executable: URL,
        _ arguments: [String],
        environment: [String: String?] = [:],
        as identity: Identity? = nil,
        workingDirectory: URL? = nil
    ) async throws -> Outcome {
        var program = executable
        var argv = arguments
        if let identity {
            // setpriv (util-linux) switches identity in a fresh process image. Asking
            // swift-subprocess for a uid makes it fork instead of posix_spawn, and a fork of
            // this multi-threaded process can deadlock in the child before exec (seen here).
            program = URL(fileURLWithPath: "/usr/bin/setpriv")
            argv = ["--reuid=\(identity.uid)", "--regid=\(identity.gid)", "--clear-groups", "--", executable.path] + arguments
        }
        var env: Environment = .inherit
        if !environment.isEmpty {
            env = env.updating(Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) }))
        }
        let result = try await Subprocess.run(
            .path(FilePath(program.path)),
            arguments: Arguments(argv),
            environment: env,
            workingDirectory: workingDirectory.map { FilePath($0.path) },
            output: .string(limit: 4 << 20),
            error: .string(limit: 4 << 20)
        )
        var outcome = Outcome(exitCode: nil, signal: nil,
                              standardOutput: result.standardOutput,
                              standardError: result.standardError)
        switch result.terminationStatus {
        case .exited(let code): outcome.exitCode = code
        case .signaled(let sig): outcome.signal = sig
        }
        return outcome
    }
}
