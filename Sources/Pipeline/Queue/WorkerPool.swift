import Foundation
import Logging

/// Background workers for the pipeline: per queue, as many threads as its concurrency, each
/// with its own database connection; plus one maintenance thread that renews leases,
/// returns dead workers' jobs, dispatches new jobs and prunes old ones. Used by the TUI (in
/// the background) and by `heaters --headless`.
public final class WorkerPool: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// Threads per queue, e.g. ["media": 2, "io": 4, "default": 2].
        public var queues: [String: Int]
        public var lease: Duration = .seconds(30)
        /// Fallback poll when no NOTIFY arrives (scheduled jobs, lost notifications).
        public var pollInterval: Duration = .seconds(1)
        public var maintenanceInterval: Duration = .seconds(2)
        public var pruneAfter: Duration = .seconds(7 * 86_400)
        public var stages: [Stage] = StageTable.all
        public var backoff = BackoffPolicy()

        public init(queues: [String: Int]) { self.queues = queues }

        /// Media work is CPU-bound: one job per core by default.
        public static var defaults: Configuration {
            Configuration(queues: [StageTable.media: max(ProcessInfo.processInfo.activeProcessorCount, 1),
                                   StageTable.io: 4, StageTable.diagnostics: 2])
        }
    }

    private let conninfo: String
    private let configuration: Configuration
    private let identity: String
    private let running = RunningJobs()
    private let logger: Logger
    private var threads: [Thread] = []
    private let finished = DispatchGroup()

    public init(conninfo: String, configuration: Configuration, logger: Logger = Logger(label: "heaters.workers")) {
        self.conninfo = conninfo
        self.configuration = configuration
        self.logger = logger
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        identity = "\(String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))/\(getpid())"
    }

    public func start() {
        for (queue, count) in configuration.queues.sorted(by: { $0.key < $1.key }) where count > 0 {
            for slot in 1...count { spawn("\(queue)-\(slot)") { [self] in workLoop(queue: queue, name: "\(identity)/\(queue)-\(slot)") } }
        }
        spawn("maintenance") { [self] in maintenanceLoop() }
        logger.info("workers started", metadata: ["queues": "\(configuration.queues.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))"])
    }

    /// Stops taking work and asks running jobs to stop; returns once every thread has ended
    /// (work that stopped is released to the queue for another worker).
    public func stop() {
        running.stop()
        finished.wait()
    }

    /// Asks the pool to stop without waiting (safe from a signal handler's queue).
    public func requestStop() { running.stop() }

    /// Blocks until the pool has been asked to stop and every thread has ended.
    public func waitUntilStopped() {
        while !running.isStopping { Thread.sleep(forTimeInterval: 0.1) }
        finished.wait()
    }

    /// Blocks until no job is left, now or scheduled, in this pool's queues (across all
    /// processes), then stops.
    public func runUntilIdle() {
        let connection = connectWithRetry()
        let queues = Array(configuration.queues.keys)
        while !running.isStopping {
            if let connection, running.count == 0, (try? JobQueue.pendingCount(connection, queues: queues)) == 0 {
                break
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
        stop()
    }

    public var isStopping: Bool { running.isStopping }

    // MARK: - Threads

    private func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
        finished.enter()
        let group = finished
        let thread = Thread {
            body()
            group.leave()
        }
        thread.name = name
        threads.append(thread)
        thread.start()
    }

    private func workLoop(queue: String, name: String) {
        let jobQueue = JobQueue(worker: name, lease: configuration.lease, backoff: configuration.backoff)
        let runner = JobRunner(queue: jobQueue, stages: configuration.stages)
        guard let db = connectWithRetry() else { return }
        try? db.listen("heaters_jobs")
        while !running.isStopping {
            do {
                guard let job = try jobQueue.claim(db, queue: queue).first else {
                    _ = try db.waitForNotifications(timeout: configuration.pollInterval)
                    continue
                }
                running.add(job.id)
                defer { running.remove(job.id) }
                let registry = running, id = job.id
                let outcome = try runner.run(job, on: db, progress: { registry.setProgress(id, $0) },
                                             isCancelled: { registry.isCancelled(id) })
                log(job, outcome)
            } catch let error as DatabaseError where error.isConnectionLoss {
                logger.warning("database connection lost; reconnecting", metadata: ["worker": "\(name)"])
                while !running.isStopping {
                    if (try? db.reconnect(timeout: .seconds(5))) != nil { break }
                }
            } catch {
                logger.error("worker error", metadata: ["worker": "\(name)", "error": "\(error)"])
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }

    private func maintenanceLoop() {
        guard let db = connectWithRetry() else { return }
        let heartbeat = JobQueue(worker: identity, lease: configuration.lease)
        let runner = JobRunner(queue: heartbeat, stages: configuration.stages)
        let dispatcher = Dispatcher(stages: configuration.stages)
        var lastPrune = Date.distantPast
        let leaseSeconds = Double(configuration.lease.components.seconds) + Double(configuration.lease.components.attoseconds) / 1e18
        let tick = min(leaseSeconds / 3, seconds(configuration.maintenanceInterval))
        var sinceHousekeeping = Double.infinity
        while !running.isStopping {
            do {
                try renewLeases(db, heartbeat)
                sinceHousekeeping += tick
                if sinceHousekeeping >= seconds(configuration.maintenanceInterval) {
                    sinceHousekeeping = 0
                    let rescued = try JobQueue.rescueExpired(db)
                    if !rescued.isEmpty {
                        logger.warning("returned jobs of lost workers to the queue", metadata: ["jobs": "\(rescued.map(\.id))"])
                        try runner.markRescued(rescued, on: db)
                    }
                    let created = try dispatcher.dispatch(db)
                    if created > 0 { logger.info("dispatched jobs", metadata: ["count": "\(created)"]) }
                    if Date().timeIntervalSince(lastPrune) > 3600 {
                        try JobQueue.prune(db, olderThan: configuration.pruneAfter)
                        lastPrune = Date()
                    }
                }
            } catch let error as DatabaseError where error.isConnectionLoss {
                _ = try? db.reconnect(timeout: .seconds(5))
            } catch {
                logger.error("maintenance error", metadata: ["error": "\(error)"])
            }
            Thread.sleep(forTimeInterval: tick)
        }
    }

    /// Leases are held per worker thread name; the maintenance thread renews them on the
    /// workers' behalf, so a long stage needs no heartbeat code of its own.
    private func renewLeases(_ db: PostgresConnection, _ heartbeat: JobQueue) throws {
        let ids = running.ids
        guard !ids.isEmpty else { return }
        let held = try heartbeat.heartbeat(db, jobs: ids, holder: identity + "/")
        for id in ids where !held.contains(id) { running.cancel(id) }
        for (id, value) in running.progress() { try JobQueue.reportProgress(db, job: id, value) }
    }

    private func connectWithRetry() -> PostgresConnection? {
        var pause = 0.1
        while !running.isStopping {
            if let connection = try? PostgresConnection(conninfo: conninfo) { return connection }
            Thread.sleep(forTimeInterval: pause)
            pause = min(pause * 2, 2)
        }
        return nil
    }

    private func log(_ job: Job, _ outcome: JobRunner.Outcome) {
        let metadata: Logger.Metadata = ["job": "\(job.id)", "stage": "\(job.stage)", "attempt": "\(job.attempt)"]
        switch outcome {
        case .completed: logger.info("job completed", metadata: metadata)
        case .skipped: logger.info("job skipped: subject already past this stage", metadata: metadata)
        case .failed(.discard): logger.error("job failed for good", metadata: metadata)
        case .failed(.retry(let after)): logger.warning("job failed; will retry", metadata: metadata.merging(["retry_in": "\(after)"]) { $1 })
        case .released: logger.info("job released", metadata: metadata)
        case .lostLease: logger.warning("job lost its lease to another worker", metadata: metadata)
        }
    }

    private func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
}
