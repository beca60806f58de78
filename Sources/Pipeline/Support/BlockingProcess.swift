import Foundation

/// Runs a child process from a plain (non-async) thread, as stage work runs on worker
/// threads: the async `ProcessRunner` is awaited on a task while this thread waits.
public enum BlockingProcess {
    final class Box: @unchecked Sendable {
        var result: Result<ProcessRunner.Outcome, any Error>?
    }

    public static func run(_ executable: URL, _ arguments: [String], workingDirectory: URL? = nil) throws -> ProcessRunner.Outcome {
        try wait { try await ProcessRunner.run(executable, arguments, workingDirectory: workingDirectory) }
    }

    /// As `run`, with each line of standard output handed to `onLine` as it arrives.
    public static func runStreaming(_ executable: URL, _ arguments: [String],
                             onLine: @escaping @Sendable (String) -> Void) throws -> ProcessRunner.Outcome {
        try wait { try await ProcessRunner.runStreaming(executable, arguments, onLine: onLine) }
    }

    private static func wait(_ body: @escaping @Sendable () async throws -> ProcessRunner.Outcome) throws -> ProcessRunner.Outcome {
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }
}
