import Domain
import Foundation

extension StationReducer {
    func handle(_ key: Key, _ state: inout StationState) -> [StationEffect] {
        switch state.mode {
        case .command(let text):
            switch Self.typed(key, text) {
            case .commit(let line):
                state.mode = .normal
                return run(line, &state) + pictures(&state)
            case .cancel:
                state.mode = .normal
                return pictures(&state)
            case .edit(let line):
                state.mode = .command(line)
                return []
            }
        case .tagPrompt(let text, let batch):
            switch Self.typed(key, text) {
            case .commit(let tag):
                state.mode = .normal
                let trimmed = tag.trimmingCharacters(in: .whitespaces)
                return (trimmed.isEmpty ? [] : decide(.tag, tag: trimmed, batch: batch, &state)) + pictures(&state)
            case .cancel:
                state.mode = .normal
                return pictures(&state)
            case .edit(let line):
                state.mode = .tagPrompt(line, batch: batch)
                return []
            }
        case .help:
            state.mode = .normal
            return pictures(&state)
        case .similar:
            return similarKey(key, &state)
        case .normal, .tray, .cutView:
            break
        }
        if key == .escape {
            state.count = nil
            state.batchArmed = false
            if state.mode != .normal {
                state.mode = .normal
                return pictures(&state)
            }
            return []
        }
        // Counts: 5l. A leading 0 is "first frame"; after a digit it is part of the count.
        if case .character(let c) = key, let digit = c.wholeNumberValue, c.isASCII, digit > 0 || state.count != nil {
            state.count = min((state.count ?? 0) * 10 + digit, 99_999)
            return []
        }
        let count = state.count ?? 1
        state.count = nil
        guard let action = keymap.action(for: key) else { return [] }
        return perform(action, count: count, &state)
    }

    /// What a key does to a line being typed (the command line, a tag).
    enum Typed: Equatable {
        case commit(String), cancel, edit(String)
    }

    /// Enter commits, escape (or backspace on an empty line) cancels; control characters
    /// are not typed.
    static func typed(_ key: Key, _ text: String) -> Typed {
        switch key {
        case .enter: return .commit(text)
        case .escape: return .cancel
        case .backspace: return text.isEmpty ? .cancel : .edit(String(text.dropLast()))
        case .character(let c) where !c.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }):
            return .edit(text.count < 200 ? text + String(c) : text)
        default: return .edit(text)
        }
    }

    func perform(_ action: StationAction, count: Int, _ state: inout StationState) -> [StationEffect] {
        if action.isDecision, state.databaseLost {
            complain("the database is unreachable: nothing was decided (decisions wait until it is back)", &state)
            return []
        }
        let fps = state.current.map { max(1, Int($0.framesPerSecond.rounded())) } ?? 25
        switch action {
        case .nextClip: return moveSelection(by: count, &state)
        case .previousClip: return moveSelection(by: -count, &state)
        case .nextFrame: return moveFrame(to: state.frame + count, &state)
        case .previousFrame: return moveFrame(to: state.frame - count, &state)
        case .forwardSecond: return moveFrame(to: state.frame + count * fps, &state)
        case .backSecond: return moveFrame(to: state.frame - count * fps, &state)
        case .firstFrame: return moveFrame(to: state.current?.startFrame ?? 0, &state)
        case .lastFrame: return moveFrame(to: (state.current?.endFrame ?? 1) - 1, &state)
        case .playPause:
            guard let current = state.current else { return [] }
            state.playing.toggle()
            if state.playing {
                if state.frame >= current.endFrame - 1 { state.frame = current.startFrame }
                state.playStarted = .init(at: state.now, frame: state.frame)
                state.framesShown = []
            } else {
                state.playStarted = nil
            }
            return pictures(&state)
        case .slower, .faster:
            state.speedIndex = min(max(state.speedIndex + (action == .faster ? 1 : -1), 0), StationState.speeds.count - 1)
            if state.playing { state.playStarted = .init(at: state.now, frame: state.frame) }
            note("speed \(Self.speedText(state.speed))", &state)
            return []
        case .approve: return decide(.approve, batch: state.batchArmed, &state)
        case .skip: return decide(.skip, batch: state.batchArmed, &state)
        case .archive: return decide(.archive, batch: state.batchArmed, &state)
        case .groupWithBefore: return decideWithBefore(.group, &state)
        case .mergeWithBefore: return decideWithBefore(.merge, &state)
        case .split:
            guard let current = state.current else { return [] }
            return send([.split(clip: current.clipID, at: state.frame)], optimistic: [], seen: [current.clipID: current.version],
                        "split of clip \(current.clipID) at frame \(state.frame)", &state)
        case .tag:
            guard state.current != nil else { return [] }
            state.mode = .tagPrompt("", batch: state.batchArmed)
            state.batchArmed = false
            return []
        case .toggleMark:
            guard let current = state.current else { return [] }
            if state.marks.contains(current.clipID) { state.marks.remove(current.clipID) } else { state.marks.insert(current.clipID) }
            return moveSelection(by: 1, &state)
        case .applyToMarked:
            guard !state.marks.isEmpty else {
                complain("no clip is marked: T marks clips for a batch", &state)
                return []
            }
            state.batchArmed = true
            note("the next approve, skip, archive or tag goes to the \(state.marks.count) marked clips", &state)
            return []
        case .undo:
            return [.undo(nil)]
        case .undoTray:
            state.mode = state.mode == .tray ? .normal : .tray
            return [.loadTray]
        case .cutView:
            state.mode = state.mode == .cutView ? .normal : .cutView
            return pictures(&state)
        case .similar:
            guard let current = state.current else { return [] }
            note("finding the clips most like clip \(current.clipID)…", &state)
            return [.loadSimilar(current.clipID)]
        case .help:
            state.mode = .help
            return pictures(&state)
        case .commandLine:
            state.mode = .command("")
            return []
        case .quit:
            return quit(&state)
        }
    }

    static func speedText(_ speed: Double) -> String {
        speed == speed.rounded() ? "\(Int(speed))×" : String(format: "%g×", speed)
    }

    /// A key in the similar list: the next- and previous-clip keys (j/k, the arrows, as bound)
    /// choose, enter opens the clip (from the queue when it is pending review, else on its own),
    /// escape or the similar and quit keys close; other keys wait.
    func similarKey(_ key: Key, _ state: inout StationState) -> [StationEffect] {
        guard var list = state.similar, !list.result.clips.isEmpty else { return closeSimilar(&state) }
        if key == .escape { return closeSimilar(&state) }
        if key == .enter {
            let chosen = list.result.clips[list.selected].entry
            _ = closeSimilar(&state)
            if chosen.state == .pendingReview { return [.jump(clip: chosen.clipID, source: nil, frame: nil)] }
            state.visited = chosen
            note("clip \(chosen.clipID) is \(chosen.state.rawValue): shown here until you move on (d archives it)", &state)
            return select(chosen.clipID, &state)
        }
        switch keymap.action(for: key) {
        case .nextClip: list.selected = min(list.selected + 1, list.result.clips.count - 1)
        case .previousClip: list.selected = max(list.selected - 1, 0)
        case .similar, .quit: return closeSimilar(&state)
        default: return []
        }
        state.similar = list
        return []
    }

    private func closeSimilar(_ state: inout StationState) -> [StationEffect] {
        state.mode = .normal
        state.similar = nil
        return pictures(&state)
    }
}
