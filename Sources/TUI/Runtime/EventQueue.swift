import Synchronization

/// The one FIFO through which background work reaches the main loop: events in order, and
/// a wake-up byte so the loop's `poll` returns at once.
final class EventQueue: Sendable {
    private let events = Mutex<[StationEvent]>([])
    let wakeup: WakeupPipe

    init() throws { wakeup = try WakeupPipe() }

    func post(_ event: StationEvent) {
        events.withLock { $0.append(event) }
        wakeup.wake()
    }

    /// Everything posted so far, oldest first.
    func drain() -> [StationEvent] {
        wakeup.drain()
        return events.withLock { queued in
            defer { queued.removeAll() }
            return queued
        }
    }
}
