import Foundation
import Queue

/// A stage about no row, for checking and measuring the queue itself: it waits `sleep_ms`
/// (checking for cancellation), fails when `fail` is true, and reports its job id.
enum DiagnosticStage {
    struct Arguments: Decodable {
        var sleep_ms: Int?
        var fail: Bool?
    }

    static let noop = Stage(name: "noop", queue: StageTable.diagnostics, maxAttempts: 5) { context in
        let arguments = (try? context.job.decodeArgs(Arguments.self)) ?? Arguments()
        var remaining = arguments.sleep_ms ?? 0
        while remaining > 0 {
            if context.isCancelled() { throw JobInterruption() }
            let step = min(remaining, 50)
            usleep(useconds_t(step * 1000))
            remaining -= step
        }
        if arguments.fail == true {
            throw DiagnosticFailure(attempt: context.job.attempt)
        }
        return StageResult(json: "{\"job\": \(context.job.id), \"attempt\": \(context.job.attempt)}")
    }

    struct DiagnosticFailure: Error, CustomStringConvertible {
        let attempt: Int
        var description: String { "diagnostic failure on attempt \(attempt)" }
    }
}
