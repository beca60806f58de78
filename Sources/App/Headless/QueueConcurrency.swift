import Pipeline
import Queue

/// Parses `--queues media=1,io=4` on top of the defaults (or `--workers N` for every queue).
enum QueueConcurrency {
    static func resolve(workers: Int?, queues: String?) throws -> [String: Int] {
        var result = WorkerPool.Configuration.defaults.queues
        if let workers {
            guard workers >= 0 else { throw CommandFailure("--workers must be 0 or more") }
            for key in result.keys { result[key] = workers }
        }
        for item in (queues ?? "").split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let n = Int(parts[1]), n >= 0 else {
                throw CommandFailure("--queues takes name=count pairs separated by commas, e.g. media=1,io=4 (got \"\(item)\")")
            }
            result[parts[0]] = n
        }
        return result
    }
}
