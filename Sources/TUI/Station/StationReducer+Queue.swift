import Domain
import Foundation

extension StationReducer {
    func queuePage(_ page: QueuePage, after: QueueEntry?, replacing: Bool, exhausted: Bool,
                   _ state: inout StationState) -> [StationEffect] {
        let oldIndex = state.selectedIndex
        if replacing {
            state.queue = page.entries
            state.windowCursor = after
        } else {
            let known = Set(state.queue.map(\.clipID))
            state.queue += page.entries.filter { !known.contains($0.clipID) }
        }
        state.queueExhausted = exhausted
        state.queueTotal = page.total
        state.queueLoaded = true
        // Decided clips a refresh shows pending again were undone elsewhere (or by `u`).
        for entry in page.entries where state.decided[entry.clipID] != nil
            && !state.inFlight.values.contains(where: { $0.before.contains { $0.clipID == entry.clipID } }) {
            state.decided.removeValue(forKey: entry.clipID)
        }
        if let jump = state.pendingJump, state.rows.contains(where: { $0.clipID == jump.clip }) {
            state.pendingJump = nil
            state.pendingRows = 0  // keys held before the jump are not for the clip jumped to
            state.landedJump = jump.clip
            var effects = select(jump.clip, &state)
            if let current = state.current {
                // :goto opens a clip at its first frame, a bookmark or :frame at its frame.
                state.frame = min(max(jump.frame ?? current.startFrame, current.startFrame), current.endFrame - 1)
                effects += pictures(&state)
            }
            return effects
        }
        let kept = keepSelection(&state, previousIndex: oldIndex)
        if !replacing, state.pendingRows > 0, state.current != nil {
            let rows = state.pendingRows
            state.pendingRows = 0
            return kept + moveSelection(by: rows, &state)
        }
        if replacing { state.pendingRows = 0 }
        return kept
    }

    /// After the rows changed: keep the selected clip, or take the row now in its place.
    func keepSelection(_ state: inout StationState, previousIndex: Int? = nil) -> [StationEffect] {
        let rows = state.rows
        if state.current != nil { return pictures(&state) }
        guard !rows.isEmpty else {
            state.selectedClip = nil
            state.picture = nil
            return pictures(&state)
        }
        let index = min(previousIndex ?? 0, rows.count - 1)
        return select(rows[index].clipID, &state)
    }

    /// Makes `clip` the current one, at its first frame.
    func select(_ clip: Int64, _ state: inout StationState) -> [StationEffect] {
        let changed = state.selectedClip != clip
        if let visited = state.visited, visited.clipID != clip { state.visited = nil }
        state.selectedClip = clip
        guard let current = state.current else { return [] }
        var effects: [StationEffect] = []
        if changed {
            state.frame = current.startFrame
            state.playing = false
            state.playStarted = nil
            state.frameError = nil
            state.thumbnails = [:]
            state.cutPictures = [:]
            effects.append(.loadNeighbours(clip))
            if state.session != nil, current.state == .pendingReview, !state.claimed.contains(clip) {
                effects.append(.claim(around: current))
            }
        }
        // Near the end of the window: the next page.
        if let index = state.selectedIndex, !state.queueExhausted, state.rows.count - index <= 20, let last = state.queue.last {
            effects.append(.loadQueue(after: last, filter: state.filter, limit: pageSize, replacing: false))
        }
        return effects + pictures(&state)
    }

    /// Moves the selection `by` rows (negative: up).
    func moveSelection(by offset: Int, _ state: inout StationState) -> [StationEffect] {
        let rows = state.rows
        guard !rows.isEmpty else { return [] }
        let index = state.selectedIndex ?? 0
        let target = index + offset
        if target < 0, state.windowCursor != nil {
            // Above the window: reload from the start of the queue.
            state.windowCursor = nil
            return [.loadQueue(after: nil, filter: state.filter, limit: windowLimit, replacing: true)]
        }
        let clamped = min(max(target, 0), rows.count - 1)
        // Past the loaded rows with more to come: kept for the page on its way (see
        // `pendingRows`); a move up cancels what was kept.
        if offset < 0 {
            state.pendingRows = 0
        } else if target > clamped, !state.queueExhausted {
            state.pendingRows = min(state.pendingRows + target - clamped, pageSize)
        }
        // Deep in a long queue: the window moves on (keeping a quarter of it above the
        // selection), so refreshes stay within `windowLimit`.
        let keep = windowLimit / 4
        if clamped > windowLimit - keep {
            let cursor = rows[clamped - keep]
            state.windowCursor = cursor
            state.queue.removeAll { ($0.sourceID, $0.startFrame) <= (cursor.sourceID, cursor.startFrame) }
        }
        return select(rows[clamped].clipID, &state)
    }

    /// Moves within the current clip to `frame` (clamped to the clip).
    func moveFrame(to frame: Int, _ state: inout StationState) -> [StationEffect] {
        guard let current = state.current else { return [] }
        state.frame = min(max(frame, current.startFrame), current.endFrame - 1)
        if state.playing { state.playStarted = .init(at: state.now, frame: state.frame) }
        return pictures(&state)
    }

    /// Filters the queue (`:source`, `:tag`) and reloads it from the start.
    func setFilter(_ filter: QueueFilter, _ state: inout StationState) -> [StationEffect] {
        state.filter = filter
        state.windowCursor = nil
        state.selectedClip = nil
        state.queue = []
        state.queueLoaded = false
        return [.loadQueue(after: nil, filter: filter, limit: pageSize, replacing: true)]
    }
}
