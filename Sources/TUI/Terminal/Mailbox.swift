import Synchronization

/// One value handed from a background thread to the main loop; a newer one replaces an
/// older one that was not taken yet.
final class Mailbox<Value: Sendable>: Sendable {
    private let slot = Mutex<Value?>(nil)

    func put(_ value: Value) { slot.withLock { $0 = value } }

    func take() -> Value? {
        slot.withLock { value in
            defer { value = nil }
            return value
        }
    }
}
