import Synchronization

/// The jobs this process is running right now, shared between the worker threads and the
/// heartbeat: which leases to renew, progress to report, and which to tell to stop.
final class RunningJobs: Sendable {
    private struct Entry {
        var progress: Double?
        var cancelled = false
    }

    private let entries = Mutex<[Int64: Entry]>([:])
    private let stopping = Atomic<Bool>(false)

    func add(_ id: Int64) { entries.withLock { $0[id] = Entry() } }
    func remove(_ id: Int64) { _ = entries.withLock { $0.removeValue(forKey: id) } }
    var ids: [Int64] { entries.withLock { Array($0.keys) } }
    var count: Int { entries.withLock { $0.count } }

    func setProgress(_ id: Int64, _ value: Double) { entries.withLock { $0[id]?.progress = min(max(value, 0), 1) } }
    func progress() -> [(Int64, Double)] { entries.withLock { $0.compactMap { id, e in e.progress.map { (id, $0) } } } }

    func cancel(_ id: Int64) { entries.withLock { $0[id]?.cancelled = true } }
    func isCancelled(_ id: Int64) -> Bool { isStopping || entries.withLock { $0[id]?.cancelled ?? false } }

    /// Set once: no new claims, and running work is asked to stop.
    func stop() { stopping.store(true, ordering: .sequentiallyConsistent) }
    var isStopping: Bool { stopping.load(ordering: .sequentiallyConsistent) }
}
