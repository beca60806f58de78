import Database
import Domain
import Foundation
import Logging
import Support
import Synchronization

/// Background workers for the pipeline, running the jobs of a `JobHandler`: per queue, as many threads as its concurrency, each
/// with its own database connection; a heartbeat thread that renews the leases of running
/// jobs (until the last worker has finished, shutdown included); and a maintenance thread
/// that returns dead workers' jobs, dispatches new jobs and prunes old ones. Used by the TUI
/// (in the background) and by `heaters --headless`.
public final class WorkerPool: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// Threads per queue, e.g. ["media": 2, "io": 4, "default": 2].
        public var queues: [String: Int]
        public var lease: Duration = .seconds(30)
        /// Fallback poll when no NOTIFY arrives (scheduled jobs, lost notifications).
        public var pollInterval: Duration = .seconds(1)
        public var maintenanceInterval: Duration = .seconds(2)
        public var pruneAfter: Duration = .seconds(7 * 86_400)
        /// How long `stop` waits for running work to hand back its jobs before giving up
        /// (their leases then run out and other workers take them over).
        public var stopDeadline: Duration = .seconds(15)
        public var backoff = BackoffPolicy()
        /// The nice value of the worker threads (and the tools they start): 10 under the review
        /// station, so decoding in the background never slows the screen.
        public var niceness: Int32 = 0

        public init(queues: [String: Int]) { self.queues = queues }

        /// The queues this process actually works on.
        var activeQueues: [String] { queues.filter { $0.value > 0 }.map(\.key).sorted() }
    }

    private let conninfo: String
    private let configuration: Configuration
    private let handler: any JobHandler
    /// host/pid/random: unique even for containers that share a hostname and pid 1.
    private let identity: String
    private let running = RunningJobs()
    private let logger: Logger
    private let workers = DispatchGroup()
    private let helpers = DispatchGroup()
    private let workersDone = Atomic<Bool>(false)

    public init(conninfo: String, configuration: Configuration, handler: any JobHandler,
                logger: Logger = Logger(label: "heaters.workers")) {
        self.conninfo = conninfo
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        identity = "\(HostName.current)/\(getpid())/\(UUID().uuidString.prefix(6).lowercased())"
    }

    public func start() {
        for queue in configuration.activeQueues {
            for slot in 1...(configuration.queues[queue] ?? 0) {
                spawn("\(queue)-\(slot)", in: workers) { [self] in
                    // On Linux the nice value is per thread: this lowers only the worker.
                    if configuration.niceness != 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, configuration.niceness) }
                    workLoop(queue: queue, name: "\(identity)/\(queue)-\(slot)")
                }
            }
        }
        workers.notify(queue: .global()) { [self] in workersDone.store(true, ordering: .sequentiallyConsistent) }
        spawn("heartbeat", in: helpers) { [self] in heartbeatLoop() }
        spawn("maintenance", in: helpers) { [self] in maintenanceLoop() }
        logger.info("workers started", metadata: [
            "queues": "\(configuration.activeQueues.map { "\($0)=\(configuration.queues[$0] ?? 0)" }.joined(separator: ","))",
            "worker": "\(identity)"])
    }

    /// Stops taking work and asks running jobs to stop; returns once every thread has ended
    /// (work that stopped is released to the queue) or the stop deadline has passed.
    public func stop() {
        running.stop()
        waitForThreads()
    }

    /// Asks the pool to stop without waiting (safe from a signal handler's queue).
    public func requestStop() { running.stop() }

    /// Blocks until the pool has been asked to stop and its threads have ended.
    public func waitUntilStopped() {
        while !running.isStopping { Thread.sleep(forTimeInterval: 0.1) }
        waitForThreads()
    }

    /// Blocks until nothing is left to do in this pool's queues (across all processes): no
    /// job now or scheduled, and nothing the dispatcher would create; then stops.
    public func runUntilIdle() {
        let connection = connectWithRetry()
        while !running.isStopping {
            if let connection, running.count == 0,
               (try? handler.subjects.dispatch(connection, queues: configuration.activeQueues)) == 0,
               (try? JobQueue.pendingCount(connection, queues: configuration.activeQueues)) == 0 {
                break
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
        stop()
    }

    public var isStopping: Bool { running.isStopping }

    // MARK: - Threads

    private func spawn(_ name: String, in group: DispatchGroup, _ body: @escaping @Sendable () -> Void) {
        group.enter()
        let thread = Thread {
            body()
            group.leave()
        }
        thread.name = name
        thread.start()
    }

    private func waitForThreads() {
        let deadline = DispatchTime.now() + .milliseconds(Int(configuration.stopDeadline.components.seconds * 1000))
        if workers.wait(timeout: deadline) == .timedOut {
            logger.error("workers did not stop in time; their jobs return to the queue when their leases run out",
                         metadata: ["running": "\(running.ids)"])
            return
        }
        _ = helpers.wait(timeout: deadline)
    }

    private func workLoop(queue: String, name: String) {
        let jobQueue = JobQueue(worker: name, lease: configuration.lease, backoff: configuration.backoff)
        let runner = JobRunner(queue: jobQueue, handler: handler)
        let known = handler.runnableStages
        guard let db = connectWithRetry() else { return }
        do { try db.listen("heaters_jobs") } catch {
            // Jobs are still found by the fallback poll, only later: say so rather than hide it.
            logger.warning("LISTEN failed; finding jobs by polling only",
                           metadata: ["worker": "\(name)", "every": "\(configuration.pollInterval)", "error": "\(error)"])
        }
        while !running.isStopping {
            var claimed: Job?
            do {
                guard let job = try jobQueue.claim(db, queue: queue, stages: known).first else {
                    _ = try db.waitForNotifications(timeout: configuration.pollInterval)
                    continue
                }
                claimed = job
                running.add(job.id)
                defer { running.remove(job.id) }
                let registry = running, id = job.id
                let outcome = try runner.run(job, on: db, progress: { registry.setProgress(id, $0) },
                                             isCancelled: { registry.isCancelled(id) })
                log(job, outcome)
            } catch let error as DatabaseError where error.isConnectionLoss {
                logger.warning("database connection lost; reconnecting", metadata: ["worker": "\(name)"])
                var reconnected = false
                while !running.isStopping {
                    if (try? db.reconnect(timeout: .seconds(5))) != nil { reconnected = true; break }
                }
                // The job met the outage: put it off without spending an attempt. If the
                // server was away longer than the lease, it was returned already (a loss).
                if reconnected, let job = claimed {
                    do { log(job, try runner.postpone(job, message: "\(error)", db: db)) } catch let again {
                        logger.error("could not put the job off after reconnecting; its lease will run out and it will be retried",
                                     metadata: ["job": "\(job.id)", "error": "\(again)"])
                    }
                }
            } catch {
                // Not a lost connection: record it on the job rather than leave it running
                // until its lease runs out.
                logger.error("worker error", metadata: ["worker": "\(name)", "error": "\(error)"])
                if let job = claimed {
                    do { _ = try runner.recordFailure(job, message: "\(error)", on: db) } catch let recording {
                        // The lease running out returns the job instead (a loss): say why it will.
                        logger.error("could not record the job's failure; its lease will run out and it will be retried",
                                     metadata: ["job": "\(job.id)", "error": "\(recording)"])
                    }
                }
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }

    /// Renews the leases of this process's running jobs every third of a lease, and goes on
    /// during shutdown until the last worker has handed its job back.
    private func heartbeatLoop() {
        guard let db = connectWithRetry() else { return }
        let heartbeat = JobQueue(worker: identity, lease: configuration.lease)
        let tick = seconds(configuration.lease) / 3
        while !workersDone.load(ordering: .sequentiallyConsistent) {
            let ids = running.ids
            if !ids.isEmpty {
                do {
                    let held = try heartbeat.heartbeat(db, jobs: ids, holder: identity + "/")
                    for id in ids where !held.contains(id) { running.cancel(id) }
                    for (id, value) in running.progress() { try JobQueue.reportProgress(db, job: id, value) }
                } catch let error as DatabaseError where error.isConnectionLoss {
                    _ = try? db.reconnect(timeout: .seconds(2))
                } catch {
                    logger.error("heartbeat error", metadata: ["error": "\(error)"])
                }
            }
            Thread.sleep(forTimeInterval: min(tick, 0.5))
        }
    }

    private func maintenanceLoop() {
        guard let db = connectWithRetry() else { return }
        let runner = JobRunner(queue: JobQueue(worker: identity), handler: handler)
        var lastPrune = Date.distantPast
        var lastRun = Date.distantPast
        while !running.isStopping {
            if Date().timeIntervalSince(lastRun) >= seconds(configuration.maintenanceInterval) {
                lastRun = Date()
                do {
                    let rescued = try runner.rescueExpired(on: db)
                    if !rescued.isEmpty {
                        logger.warning("returned jobs of lost workers to the queue", metadata: ["jobs": "\(rescued.map(\.id))"])
                    }
                    let created = try handler.subjects.dispatch(db, queues: nil)
                    if created > 0 { logger.info("dispatched jobs", metadata: ["count": "\(created)"]) }
                    if Date().timeIntervalSince(lastPrune) > 3600 {
                        try JobQueue.prune(db, olderThan: configuration.pruneAfter)
                        lastPrune = Date()
                    }
                } catch let error as DatabaseError where error.isConnectionLoss {
                    _ = try? db.reconnect(timeout: .seconds(2))
                } catch {
                    logger.error("maintenance error", metadata: ["error": "\(error)"])
                }
                // Each statement changing clips or jobs appends a row per state to the counts
                // `status` sums (migrations 18, 19); folded here so the sums stay short. Apart
                // from the rest, so that a dispatch that keeps failing does not stop it.
                do {
                    try StateCountQueries.compact(db)
                } catch let error as DatabaseError where error.isConnectionLoss {
                    // The reconnect above or on the next pass brings it back.
                } catch {
                    logger.error("folding the state counts failed", metadata: ["error": "\(error)"])
                }
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
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
        case .lostLease: logger.warning("job no longer held: cancelled, or taken over after its lease ran out", metadata: metadata)
        case .postponed(let after):
            logger.warning("job put off: the database, storage or disk is unavailable for now; no attempt spent",
                           metadata: metadata.merging(["retry_in": "\(after)"]) { $1 })
        }
    }

    private func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
}
