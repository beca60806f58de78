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

    /// As `run`, with each line of standard output handed to `onLine` as it arrives. When
    /// `isCancelled` turns true (checked every 0.2 s) the child and its process group are
    /// stopped (SIGTERM, then SIGKILL) and this throws `Cancelled`.
    public static func runStreaming(_ executable: URL, _ arguments: [String], isCancelled: @escaping () -> Bool = { false },
                                    onLine: @escaping @Sendable (String) -> Void) throws -> ProcessRunner.Outcome {
        try wait(isCancelled: isCancelled) { try await ProcessRunner.runStreaming(executable, arguments, onLine: onLine) }
    }

    /// The wait for a child was given up because its work was cancelled.
    public struct Cancelled: Error, CustomStringConvertible {
        public var description: String { "cancelled: the child process was stopped" }
    }

    private static func wait(isCancelled: () -> Bool = { false },
                             _ body: @escaping @Sendable () async throws -> ProcessRunner.Outcome) throws -> ProcessRunner.Outcome {
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let task = Task.detached {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        var cancelled = false
        while done.wait(timeout: .now() + 0.2) == .timedOut {
            if !cancelled, isCancelled() {
                cancelled = true
                task.cancel()  // swift-subprocess then runs the teardown sequence on the child
            }
        }
        if cancelled { throw Cancelled() }
        return try box.result!.get()
    }
}
