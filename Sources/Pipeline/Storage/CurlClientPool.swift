import Synchronization

/// Idle curl clients kept for reuse, so that requests from the same store reuse connections
/// (TLS sessions, keep-alive) instead of opening one each. A client is taken by one thread
/// for one request and put back after; at most `capacity` idle ones are kept.
public final class CurlClientPool: Sendable {
    private let idle = Mutex<[CurlHTTPClient]>([])
    private let capacity: Int

    public init(capacity: Int = 8) { self.capacity = capacity }

    /// Runs `body` with a client of its own, returned to the pool afterwards. A client whose
    /// request failed in transport is dropped rather than kept: its connection may be dead.
    public func withClient<T>(_ body: (CurlHTTPClient) throws -> T) throws -> T {
        let client = try idle.withLock { $0.popLast() } ?? CurlHTTPClient()
        let result = try body(client)  // a throw drops the client
        idle.withLock { if $0.count < capacity { $0.append(client) } }
        return result
    }
}
