import Domain
import Foundation

extension StationReducer {
    /// approve, skip, archive or tag: the current clip, or with `batch` every marked clip as
    /// one request. Shown at once (optimistically), confirmed or rolled back by the answer.
    func decide(_ kind: ReviewActionKind, tag: String? = nil, batch: Bool, _ state: inout StationState) -> [StationEffect] {
        guard let current = state.current else { return [] }
        let targets = batch && !state.marks.isEmpty ? state.rows.filter { state.marks.contains($0.clipID) } : [current]
        let decisions: [ReviewDecision] = targets.map { entry in
            switch kind {
            case .approve: .approve(clip: entry.clipID)
            case .skip: .skip(clip: entry.clipID)
            case .archive: .archive(clip: entry.clipID)
            default: .tag(clip: entry.clipID, tag: tag ?? "")
            }
        }
        let optimistic = targets.map { entry -> QueueEntry in
            var changed = entry
            if let state = kind.decidedState { changed.state = state }
            if kind == .tag, let tag, !changed.tags.contains(tag) { changed.tags = (changed.tags + [tag]).sorted() }
            return changed
        }
        if batch {
            state.marks.removeAll()
            state.batchArmed = false
        }
        let what = targets.count == 1 ? "\(kind.rawValue) clip \(targets[0].clipID)"
            : "\(kind.rawValue) \(targets.count) marked clips"
        var effects = send(decisions, optimistic: optimistic,
                           seen: Dictionary(targets.map { ($0.clipID, $0.version) }, uniquingKeysWith: { a, _ in a }), what, &state)
        // On to the next clip; a tag leaves the reviewer where they are.
        if kind != .tag, !batch { effects += moveSelection(by: 1, &state) }
        return effects
    }

    /// group or merge with the clip before (the live clip of the source ending where this
    /// one starts), as the engine defines it; not the previous row of the queue.
    func decideWithBefore(_ kind: ReviewActionKind, _ state: inout StationState) -> [StationEffect] {
        guard let current = state.current else { return [] }
        guard let neighbours = state.currentNeighbours else {
            complain("still looking up the clip before \(current.clipID); press again in a moment", &state)
            return [.loadNeighbours(current.clipID)]
        }
        guard let before = neighbours.before else {
            complain("clip \(current.clipID) is the first of its source: there is no clip before it", &state)
            return []
        }
        if kind == .group {
            var optimistic = [current, before]
            optimistic[0].state = .reviewApproved
            if optimistic[1].state == .pendingReview { optimistic[1].state = .reviewApproved }
            return send([.group(clip: current.clipID, with: before.clipID)], optimistic: optimistic,
                        seen: [current.clipID: current.version, before.clipID: before.version],
                        "group clip \(current.clipID) with clip \(before.clipID)", &state) + moveSelection(by: 1, &state)
        }
        return send([.merge(clip: current.clipID, with: before.clipID)], optimistic: [],
                    seen: [current.clipID: current.version, before.clipID: before.version],
                    "merge of clip \(before.clipID) and clip \(current.clipID)", &state)
    }

    /// Records the request and its optimistic rows, and sends it.
    func send(_ decisions: [ReviewDecision], optimistic: [QueueEntry], seen: [Int64: Int], _ description: String,
              _ state: inout StationState) -> [StationEffect] {
        let request = UUID()
        let rows = Dictionary(state.rows.map { ($0.clipID, $0) }, uniquingKeysWith: { a, _ in a })
        state.inFlight[request] = .init(before: optimistic.compactMap { rows[$0.clipID] ?? $0 }, description: description)
        for entry in optimistic { state.decided[entry.clipID] = entry }
        note(description + "…", &state)
        return [.decide(request, decisions, seen: seen)]
    }

    func decisionAnswered(_ request: UUID, _ reply: DecisionReply, _ state: inout StationState) -> [StationEffect] {
        guard let flight = state.inFlight.removeValue(forKey: request) else { return [] }
        switch reply {
        case .applied(let text):
            note(text, &state)
        case .refused(let text):
            // Roll back what was shown: the clips return as they were.
            for entry in flight.before { state.decided.removeValue(forKey: entry.clipID) }
            complain("\(flight.description) refused: \(text)", &state)
        }
        return [.loadTray] + keepSelection(&state)
    }

    // MARK: - The command line

    func run(_ line: String, _ state: inout StationState) -> [StationEffect] {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let command = words.first else { return [] }
        let argument = words.dropFirst().joined(separator: " ")
        switch command {
        case "q", "quit":
            return quit(&state)
        case "goto":
            guard let id = Int64(argument), id > 0 else { complain(":goto takes a clip id", &state); return [] }
            return [.jump(clip: id, source: nil, frame: nil)]
        case "frame":
            guard let frame = Int(argument), frame >= 0 else { complain(":frame takes a source frame number", &state); return [] }
            return jumpToFrame(frame, &state)
        case "time":
            guard let seconds = Self.seconds(argument) else {
                complain(":time takes a time such as 00:01:23.480 or 83.48", &state)
                return []
            }
            let fps = state.current?.framesPerSecond ?? 25
            return jumpToFrame(Int((seconds * fps).rounded(.down)), &state)
        case "source":
            if argument.isEmpty { return setFilter(QueueFilter(sourceID: nil, tag: state.filter.tag), &state) }
            guard let id = Int64(argument), id > 0 else { complain(":source takes a source id (none: every source)", &state); return [] }
            return setFilter(QueueFilter(sourceID: id, tag: state.filter.tag), &state)
        case "tag":
            return setFilter(QueueFilter(sourceID: state.filter.sourceID, tag: argument.isEmpty ? nil : argument), &state)
        case "timeline":
            return timeline(Array(words.dropFirst()), &state)
        case "theme":
            guard !argument.isEmpty else { complain(":theme takes a theme name (default, light, high-contrast)", &state); return [] }
            return [.setTheme(argument)]
        default:
            complain("unknown command :\(command) (? lists them)", &state)
            return []
        }
    }

    /// `:timeline [FORMAT] FILE [approved|decided|all]`: the current clip's source (or the
    /// filtered one) as an editor's timeline; the format from the file's extension when not given.
    private func timeline(_ arguments: [String], _ state: inout StationState) -> [StationEffect] {
        var rest = arguments
        var format = rest.first.flatMap(TimelineFormat.init(rawValue:))
        if format != nil { rest.removeFirst() }
        var selection = TimelineSelection.approved
        if let last = rest.last, rest.count > 1, let chosen = TimelineSelection(rawValue: last) {
            selection = chosen
            rest.removeLast()
        }
        guard rest.count == 1, let path = rest.first else {
            complain(":timeline takes [otio|edl|fcpxml|fcp7|csv] FILE [approved|decided|all]", &state)
            return []
        }
        if format == nil {
            let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
            format = TimelineFormat.allCases.first { !ext.isEmpty && ($0.fileExtension == ext || $0.rawValue == ext) }
        }
        guard let format else {
            complain(":timeline: say the format (otio, edl, fcpxml, fcp7, csv) or give the file one of their extensions", &state)
            return []
        }
        guard let source = state.current?.sourceID ?? state.filter.sourceID else {
            complain(":timeline writes the current clip's source: open a clip first (or :source ID)", &state)
            return []
        }
        note("writing source \(source)'s timeline…", &state)
        return [.writeTimeline(TimelineFileRequest(sourceID: source, format: format, selection: selection, path: path))]
    }

    /// `:frame` and `:time`: within the current clip, or the clip of this source holding it.
    private func jumpToFrame(_ frame: Int, _ state: inout StationState) -> [StationEffect] {
        guard let current = state.current else { return [] }
        if current.startFrame <= frame, frame < current.endFrame { return moveFrame(to: frame, &state) }
        return [.jump(clip: nil, source: current.sourceID, frame: frame)]
    }

    /// "00:01:23.480", "1:23.48", "83.48" → seconds.
    static func seconds(_ text: String) -> Double? {
        let parts = text.split(separator: ":").map(String.init)
        guard (1...3).contains(parts.count), let last = Double(parts.last!), last >= 0 else { return nil }
        var total = last
        for (i, part) in parts.dropLast().reversed().enumerated() {
            guard let value = Int(part), value >= 0 else { return nil }
            total += Double(value) * (i == 0 ? 60 : 3600)
        }
        return total
    }
}
