import Foundation
import Support
import Testing

/// A child run by BlockingProcess stops when its work is cancelled (a job cancelled, SIGTERM):
/// heaters does not wait on, nor leave behind, a download that nobody wants any more.
@Suite struct BlockingProcessTests {
    /// Processes whose command line is exactly `arguments`, from /proc.
    static func running(_ arguments: [String]) -> [String] {
        let wanted = arguments.joined(separator: "\u{0}")
        return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { pid in
            guard Int(pid) != nil, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: "\u{0}")) == wanted
        }
    }

    /// Runs `body` on a plain thread, as stage work runs on worker threads: blocking one of
    /// the test's cooperative threads would starve the child's own tasks on a two-core machine.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { done in Thread.detachNewThread { done.resume(returning: body()) } }
    }

    @Test func cancellingStopsTheChildAndThrows() async throws {
        let arguments = ["/usr/bin/sleep", "31.\(Int.random(in: 100...999))"]
        let flag = CancelFlag()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { flag.set() }
        let outcome: String = await Self.onThread {
            do {
                _ = try BlockingProcess.runStreaming(URL(fileURLWithPath: arguments[0]), Array(arguments.dropFirst()),
                                                     isCancelled: { flag.isSet }, onLine: { _ in })
                return "finished"
            } catch is BlockingProcess.Cancelled { return "cancelled" } catch { return "\(error)" }
        }
        #expect(outcome == "cancelled")
        // No clock check: under the whole suite the child's tasks can wait minutes for a thread.
        #expect(Self.running(arguments).isEmpty, "the child was stopped, not left running")
    }

    @Test func anUncancelledChildRunsToItsEnd() async throws {
        let succeeded = await Self.onThread {
            (try? BlockingProcess.runStreaming(URL(fileURLWithPath: "/usr/bin/echo"), ["hello"], isCancelled: { false },
                                               onLine: { _ in }))?.succeeded ?? false
        }
        #expect(succeeded)
    }
}

final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
