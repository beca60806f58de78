import Domain
import Foundation

/// The review station's pure core: (state, event) → the new state and the effects to run.
/// No I/O happens here; the runtime performs the effects and posts their answers back as
/// events. The reducer holds no review rule: decisions go to the engine, which may refuse.
public struct StationReducer: Sendable {
    public let keymap: Keymap
    /// Seconds between refreshes of the queue, the tray and the pipeline line.
    public var refreshInterval: TimeInterval = 2
    /// Clips loaded per page of the queue.
    public var pageSize = 200
    /// The most a refresh reloads at once.
    public var windowLimit = 2000

    public init(keymap: Keymap) { self.keymap = keymap }

    /// What to do when the station opens.
    public func start(_ state: inout StationState) -> [StationEffect] {
        state.lastRefresh = state.now
        return [.startSession, .loadQueue(after: nil, filter: state.filter, limit: pageSize, replacing: true), .loadTray,
                .loadPipeline]
    }

    public func reduce(_ state: inout StationState, _ event: StationEvent) -> [StationEffect] {
        switch event {
        case .key(let key):
            return handle(key, &state)

        case .resize(let size):
            state.size = size
            state.thumbnails = [:]
            state.cutPictures = [:]
            return pictures(&state)

        case .tick(let now):
            return tick(now, &state)

        case .sessionStarted(let id):
            state.session = id
            return state.current.map { [.claim(around: $0)] } ?? []

        case .claimed(let ids, let around):
            state.claimed = Set(ids)
            // A claim made around a clip the reviewer has already moved past says nothing of
            // the clip now selected (its own claim is on its way): only that one may tell
            // that another session holds it. Read as such, it sent the selection back while
            // keys were held down.
            guard around == nil || around == state.selectedClip else { return [] }
            // Only a pending clip is claimed; one opened from the similar list is not.
            guard let current = state.current, current.state == .pendingReview, !state.claimed.contains(current.clipID) else {
                return []
            }
            // Another reviewer holds this clip: leave it to them.
            let next = state.rows.first { state.claimed.contains($0.clipID) }
            note("clip \(current.clipID) is being reviewed in another session", &state)
            if let next { return select(next.clipID, &state) }
            return [.loadQueue(after: state.windowCursor, filter: state.filter, limit: windowSize(state), replacing: true)]

        case .queuePage(let page, let after, let replacing, let exhausted):
            return queuePage(page, after: after, replacing: replacing, exhausted: exhausted, &state)

        case .decidedRefreshed(let entries):
            let now = Dictionary(entries.map { ($0.clipID, $0) }, uniquingKeysWith: { a, _ in a })
            let answering = Set(state.inFlight.values.flatMap { $0.before.map(\.clipID) })
            for id in state.decided.keys where !answering.contains(id) {
                if let entry = now[id] { state.decided[id] = entry } else { state.decided.removeValue(forKey: id) }
            }
            return keepSelection(&state)

        case .neighbours(let clip, let neighbours):
            state.neighbours = .init(clip: clip, value: neighbours)
            return pictures(&state)

        case .frameRendered(let key, let grid):
            return frameRendered(key, grid, &state)

        case .frameFailed(let key, let message):
            if key.frame == state.frame { state.frameError = message }
            return []

        case .decisionAnswered(let request, let reply):
            return decisionAnswered(request, reply, &state)

        case .undoAnswered(let reply):
            switch reply {
            case .applied(let text): note(text, &state)
            case .refused(let text): complain(text, &state)
            }
            return refresh(&state)

        case .tray(let items):
            state.tray = items
            return []

        case .pipeline(let summary):
            state.pipeline = summary
            return []

        case .jumpTarget(let entry, let frame, let reason):
            if let landed = state.landedJump {
                state.landedJump = nil
                if entry?.clipID == landed { return [] }
            }
            guard let entry else {
                state.pendingJump = nil
                complain(reason, &state)
                return []
            }
            state.pendingJump = .init(clip: entry.clipID, frame: frame)
            let cursor = QueueEntry(clipID: 0, sourceID: entry.sourceID, sourceTitle: "", startFrame: entry.startFrame - 1,
                                    endFrame: entry.startFrame, startSeconds: 0, endSeconds: 0, state: .pendingReview)
            return [.loadQueue(after: cursor, filter: state.filter, limit: pageSize, replacing: true)]

        case .similar(let result):
            guard result.clip == state.selectedClip else { return [] }
            guard !result.clips.isEmpty else {
                note("no other clip has a \(result.model) vector yet", &state)
                return []
            }
            state.message = nil
            state.similar = .init(result: result)
            state.mode = .similar
            return pictures(&state)

        case .timelineWritten(let written):
            note("wrote \(written.clipCount) clip\(written.clipCount == 1 ? "" : "s") to \(written.paths.joined(separator: ", "))", &state)
            return []

        case .backendFailed(let message, let connectionLost):
            if connectionLost {
                if !state.databaseLost { complain("the database is unreachable; reconnecting (decisions wait until it is back)", &state) }
                state.databaseLost = true
                state.message?.until = nil
            } else {
                complain(message, &state)
            }
            return []

        case .backendRecovered:
            guard state.databaseLost else { return [] }
            state.databaseLost = false
            note("the database is back", &state)
            return refresh(&state) + (state.session == nil ? [.startSession] : [])

        case .terminate:
            return quit(&state)
        }
    }

    // MARK: - Ticks

    private func tick(_ now: Date, _ state: inout StationState) -> [StationEffect] {
        state.now = now
        if let until = state.message?.until, until <= now { state.message = nil }
        state.framesShown.removeAll { now.timeIntervalSince($0) > 2 }
        var effects: [StationEffect] = []
        if state.playing, let current = state.current, let started = state.playStarted {
            let fps = min(current.framesPerSecond, 30) * state.speed
            // Higher source rates show every other frame: the clock decides, not the frame count.
            let step = current.framesPerSecond > 30 ? 2 : 1
            let elapsed = now.timeIntervalSince(started.at)
            let target = started.frame + Int(elapsed * fps) * step
            if target >= current.endFrame - 1 {
                state.frame = current.endFrame - 1
                state.playing = false
                state.playStarted = nil
            } else {
                state.frame = target
            }
            effects += pictures(&state)
        }
        if let last = state.lastRefresh, now.timeIntervalSince(last) >= refreshInterval {
            effects += refresh(&state)
        }
        return effects
    }

    /// Reloads what others may have changed: the queue window, this session's decided clips,
    /// the tray and the pipeline line. While the database is gone this is also the probe.
    func refresh(_ state: inout StationState) -> [StationEffect] {
        state.lastRefresh = state.now
        var effects: [StationEffect] = [.loadQueue(after: state.windowCursor, filter: state.filter, limit: windowSize(state),
                                                   replacing: true), .loadTray, .loadPipeline]
        if !state.decided.isEmpty { effects.append(.refreshDecided(state.decided.keys.sorted())) }
        if let current = state.current, state.session != nil { effects.append(.claim(around: current)) }
        return effects
    }

    func windowSize(_ state: StationState) -> Int { min(max(pageSize, state.queue.count), windowLimit) }

    // MARK: - Messages

    func note(_ text: String, _ state: inout StationState) {
        state.message = .init(text: text, kind: .info, until: state.now.addingTimeInterval(6))
    }

    func complain(_ text: String, _ state: inout StationState) {
        state.message = .init(text: text, kind: .error, until: state.now.addingTimeInterval(12))
    }

    func quit(_ state: inout StationState) -> [StationEffect] {
        state.quitting = true
        state.playing = false
        var effects: [StationEffect] = []
        // Where the reviewer was, as a clip the queue will offer again: a clip opened from the
        // similar list (decided, exported) leaves the bookmark at the next pending one.
        if let current = state.current {
            if current.state == .pendingReview {
                effects.append(.saveBookmark(clip: current.clipID, frame: state.frame))
            } else if let next = state.rows.first(where: { $0.state == .pendingReview
                && ($0.sourceID, $0.startFrame) > (current.sourceID, current.startFrame) }) ?? state.rows.first(where: { $0.state == .pendingReview }) {
                effects.append(.saveBookmark(clip: next.clipID, frame: next.startFrame))
            }
        }
        return effects + [.quit]
    }
}
