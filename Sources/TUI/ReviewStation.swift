@preconcurrency import CNcursesw
import Foundation
import Domain

/// The review station's screen. For now: the queue of clips pending review, loaded from the
/// database on a background thread; `j`/`k` move, `r` reloads, `q` quits.
@MainActor
public final class ReviewStation {
    private let backend: any ReviewBackend
    private let wakeup: WakeupPipe
    private let delivered = Mailbox<Result<[QueueEntry], any Error>>()

    private var entries: [QueueEntry] = []
    private var selection = 0
    private var status = "loading the queue…"
    private var loading = false

    public init(backend: any ReviewBackend) throws {
        self.backend = backend
        self.wakeup = try WakeupPipe()
    }

    /// Runs until the reviewer quits; the terminal is restored however it ends.
    public func run() throws {
        let session = CursesSession()
        defer { session.close() }
        startLoading()
        render(session)
        while true {
            wakeup.waitForInput(milliseconds: 500)
            wakeup.drain()
            takeDelivery()
            while let key = session.nextKey() {
                switch key {
                case Int32(UInt8(ascii: "q")): return
                case Int32(UInt8(ascii: "j")), heaters_KEY_DOWN(): selection = min(selection + 1, max(entries.count - 1, 0))
                case Int32(UInt8(ascii: "k")), heaters_KEY_UP(): selection = max(selection - 1, 0)
                case Int32(UInt8(ascii: "r")): startLoading()
                default: break
                }
            }
            render(session)
        }
    }

    private func startLoading() {
        guard !loading else { return }
        loading = true
        let backend = backend, wakeup = wakeup, slot = delivered
        Thread.detachNewThread {
            let result = Result { try backend.pendingClips() }
            slot.put(result)
            wakeup.wake()
        }
    }

    private func takeDelivery() {
        guard let result = delivered.take() else { return }
        loading = false
        switch result {
        case .success(let list):
            entries = list
            selection = min(selection, max(list.count - 1, 0))
            status = list.isEmpty ? "queue empty: nothing is pending review (submit a video to fill it)"
                : "\(list.count) clip\(list.count == 1 ? "" : "s") pending review"
        case .failure(let error):
            status = "could not load the queue: \(error)"
        }
    }

    private func render(_ session: CursesSession) {
        session.clearScreen()
        let (rows, columns) = session.size
        session.draw(" heaters · review queue ".padding(toLength: columns, withPad: " ", startingAt: 0), row: 0, bold: true, reverse: true)
        let listHeight = max(rows - 3, 0)
        let top = max(0, min(selection - listHeight / 2, entries.count - listHeight))
        for (offset, entry) in entries.dropFirst(top).prefix(listHeight).enumerated() {
            let index = top + offset
            session.draw(QueueView.line(entry, selected: index == selection, width: columns), row: 1 + offset,
                         reverse: index == selection)
        }
        session.draw(status, row: rows - 2, colorPair: 2)
        session.draw(" j/k move · r reload · q quit ", row: rows - 1, colorPair: 1)
        session.present()
    }
}
