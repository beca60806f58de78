import Domain
import Foundation
import Synchronization

/// Performs the reducer's effects off the main thread and posts their answers as events.
/// Database work runs on one serial queue (so a decision and the refresh after it keep their
/// order); pictures go to the frame service. A lost database is reported once, probed by
/// the station's refreshes, and decisions that could not be sent are sent again — with
/// their request ids, so none applies twice — once it is back.
final class EffectRunner: @unchecked Sendable {
    private let backend: any ReviewBackend
    private let events: EventQueue
    let frames: FrameRenderService
    private let database = DispatchQueue(label: "heaters.station.database", qos: .userInitiated)
    private let status = Mutex<Status>(Status())
    private let bookmark: URL?

    private struct Status {
        var lost = false
        var session: String?
        /// Decisions to send again once the database is back.
        var replays: [(UUID, [ReviewDecision], [Int64: Int])] = []
    }

    init(backend: any ReviewBackend, events: EventQueue, colors: ChafaRenderer.Colors, graphics: PixelGraphics?, bookmark: URL?) {
        self.backend = backend
        self.events = events
        self.bookmark = bookmark
        frames = FrameRenderService(backend: backend, events: events, colors: colors, graphics: graphics)
        startRenewals()
    }

    func perform(_ effects: [StationEffect], playing: Bool) {
        for effect in effects { perform(effect, playing: playing) }
    }

    private func perform(_ effect: StationEffect, playing: Bool) {
        switch effect {
        case .render(let wanted):
            frames.want(wanted, fast: playing)
        case .saveBookmark(let clip, let frame):
            saveBookmark(clip: clip, frame: frame)
        case .setTheme, .quit:
            break  // the main loop's
        case .decide(let request, let decisions, let seen):
            database.async { [self] in decide(request, decisions, seen) }
        default:
            database.async { [self] in run(effect) }
        }
    }

    private func run(_ effect: StationEffect) {
        attempt { [self] in
            switch effect {
            case .startSession:
                let id = try backend.startSession()
                status.withLock { $0.session = id }
                events.post(.sessionStarted(id))
            case .claim(let around):
                guard let session = status.withLock({ $0.session }) else { return }
                events.post(.claimed(try backend.claim(session: session, around: around, count: 3), around: around?.clipID))
            case .loadQueue(let after, let filter, let limit, let replacing):
                let session = status.withLock { $0.session }
                let page = try backend.queuePage(session: session, after: after, filter: filter, limit: limit)
                events.post(.queuePage(page, after: after, replacing: replacing, exhausted: page.entries.count < limit))
            case .refreshDecided(let ids):
                events.post(.decidedRefreshed(try backend.entries(ids: ids)))
            case .loadNeighbours(let clip):
                events.post(.neighbours(clip: clip, try backend.neighbours(of: clip)))
            case .undo(let action):
                events.post(.undoAnswered(try backend.undo(action, session: status.withLock { $0.session })))
            case .loadTray:
                events.post(.tray(try backend.tray(session: status.withLock { $0.session })))
            case .loadPipeline:
                events.post(.pipeline(try backend.pipeline()))
            case .loadSimilar(let clip):
                events.post(.similar(try backend.similar(to: clip, limit: 20)))
            case .writeTimeline(let request):
                events.post(.timelineWritten(try backend.writeTimeline(request)))
            case .jump(let clip, let source, let frame):
                let entry = try backend.locate(clip: clip, source: source, frame: frame)
                if let entry, entry.state == .pendingReview {
                    events.post(.jumpTarget(entry, frame: frame, reason: ""))
                } else if let entry {
                    events.post(.jumpTarget(nil, frame: nil, reason: "clip \(entry.clipID) is \(entry.state.rawValue): "
                                            + "the queue offers clips pending review"))
                } else {
                    let what = clip.map { "there is no live clip \($0)" } ?? "no live clip holds frame \(frame ?? 0)"
                    events.post(.jumpTarget(nil, frame: nil, reason: what))
                }
            default:
                break
            }
        } onLoss: { [self] in
            if case .undo = effect { events.post(.undoAnswered(.refused("the database is unreachable: nothing was undone"))) }
        }
    }

    private func decide(_ request: UUID, _ decisions: [ReviewDecision], _ seen: [Int64: Int]) {
        attempt { [self] in
            let reply = try backend.decide(decisions, seen: seen, request: request, session: status.withLock { $0.session })
            events.post(.decisionAnswered(request, reply))
        } onLoss: { [self] in
            // Kept, not dropped: sent again with the same request id when the database is back.
            status.withLock { $0.replays.append((request, decisions, seen)) }
        }
    }

    /// Runs backend work, reporting a lost database once and its return once.
    private func attempt(_ body: () throws -> Void, onLoss: () -> Void) {
        do {
            try body()
            let (recovered, replays) = status.withLock { state -> (Bool, [(UUID, [ReviewDecision], [Int64: Int])]) in
                defer { if state.lost { state.lost = false; state.replays = [] } }
                return (state.lost, state.lost ? state.replays : [])
            }
            if recovered {
                events.post(.backendRecovered)
                for (request, decisions, seen) in replays { database.async { [self] in decide(request, decisions, seen) } }
            }
        } catch {
            if backend.isConnectionLoss(error) {
                status.withLock { $0.lost = true }
                events.post(.backendFailed("\(error)", connectionLost: true))
                onLoss()
            } else {
                events.post(.backendFailed("\(error)", connectionLost: false))
            }
        }
    }

    /// Renews the session's lease every 10 s; a session that expired (a long outage) is
    /// replaced by a new one.
    private func startRenewals() {
        let timer = DispatchSource.makeTimerSource(queue: database)
        timer.schedule(deadline: .now() + 10, repeating: 10)
        timer.setEventHandler { [self] in
            guard let session = status.withLock({ $0.session }) else { return }
            attempt { [self] in
                if try !backend.renewSession(session) {
                    let id = try backend.startSession()
                    status.withLock { $0.session = id }
                    events.post(.sessionStarted(id))
                }
            } onLoss: {}
        }
        timer.resume()
        renewal = timer
    }

    private var renewal: (any DispatchSourceTimer)?

    /// At exit: ends the session (freeing its claims) and waits for queued work, briefly.
    func finish(timeout: TimeInterval = 3) {
        renewal?.cancel()
        frames.stop()
        let done = DispatchSemaphore(value: 0)
        database.async { [self] in
            if let session = status.withLock({ $0.session }) { try? backend.endSession(session) }
            done.signal()
        }
        _ = done.wait(timeout: .now() + timeout)
    }

    // MARK: - The bookmark

    struct Bookmark: Codable {
        var clip: Int64
        var frame: Int
    }

    private func saveBookmark(clip: Int64, frame: Int) {
        guard let bookmark, let data = try? JSONEncoder().encode(Bookmark(clip: clip, frame: frame)) else { return }
        try? data.write(to: bookmark, options: .atomic)
    }

    static func readBookmark(_ url: URL?) -> Bookmark? {
        guard let url, let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(Bookmark.self, from: data)
    }
}
