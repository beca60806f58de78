import Dispatch
import Foundation

/// Turns SIGTERM and SIGINT into a call, once, on a background queue.
final class SignalWatcher: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []

    init(_ signals: [Int32] = [SIGTERM, SIGINT], handler: @escaping @Sendable (Int32) -> Void) {
        // A parent may have blocked these signals (test runners do); unblock them for this
        // thread, before the worker threads are made, so they inherit the mask.
        var set = sigset_t()
        sigemptyset(&set)
        for s in signals { sigaddset(&set, s) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        let queue = DispatchQueue(label: "heaters.signals")
        for s in signals {
            signal(s, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: s, queue: queue)
            source.setEventHandler { handler(s) }
            source.resume()
            sources.append(source)
        }
    }
}
