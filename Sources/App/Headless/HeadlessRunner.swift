import Config
import Foundation
import Logging
import Media
import Pipeline
import Queue
import Storage
import Support

/// `heaters --headless`: the worker pool with no UI, until a signal (or idleness with
/// `--until-idle`).
struct HeadlessRunner {
    let config: HeatersConfig
    let conninfo: String
    let storage: any ObjectStore
    let pool: WorkerPool.Configuration
    let untilIdle: Bool

    func run() async throws {
        let logger = Logger(label: "heaters.headless")
        LibavLog.showErrorsOnly()
        let scratch = try TemporaryFiles.forThisProcess(dataDirectory: config.dataDirectory)
        defer { scratch.remove() }
        StoreHousekeeping.sweepAbandonedWrites(in: storage)
        let handler = StageHandler(storage: storage, scratch: scratch.directory, tools: PythonTools.locate(explicit: config.venv),
                                   settings: try StageSettings.from(config))
        let workers = WorkerPool(conninfo: conninfo, configuration: pool, handler: handler)
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
