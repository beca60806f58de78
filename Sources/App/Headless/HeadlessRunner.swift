import Foundation
import Logging
import Pipeline

/// `heaters --headless`: the worker pool with no UI, until a signal (or idleness with
/// `--until-idle`).
struct HeadlessRunner {
    let dataDirectory: URL
    let conninfo: String
    let pool: WorkerPool.Configuration
    let untilIdle: Bool

    func run() async throws {
        let logger = Logger(label: "heaters.headless")
        LibavLog.showErrorsOnly()
        let scratch = try TemporaryFiles.forThisProcess(dataDirectory: dataDirectory)
        defer { scratch.remove() }
        var pool = pool
        pool.scratch = scratch.directory
        let workers = WorkerPool(conninfo: conninfo, configuration: pool)
        let watcher = SignalWatcher { signal in
            logger.notice("stopping: releasing running jobs", metadata: ["signal": "\(signal)"])
            workers.requestStop()
        }
        workers.start()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                if untilIdle { workers.runUntilIdle() } else { workers.waitUntilStopped() }
                done.resume()
            }
        }
        withExtendedLifetime(watcher) {}
        logger.notice("stopped")
    }
}
