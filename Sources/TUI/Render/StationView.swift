import Domain
import Foundation

/// Draws the station's state onto a `Screen`: the header, the queue, the frame (or the cut
/// view, help or undo tray in its place), the filmstrip, the details, the tray, the pipeline
/// line and the message line. Reads the state; changes nothing.
@MainActor
public struct StationView {
    public let keymap: Keymap

    public init(keymap: Keymap) { self.keymap = keymap }

    public func draw(_ state: StationState, on screen: any Screen) {
        screen.erase()
        let size = screen.size
        guard size.isUsable else {
            let text = "heaters needs a terminal of at least \(ScreenSize.minimum.columns)×\(ScreenSize.minimum.rows); "
                + "this one is \(size.columns)×\(size.rows)"
            for (i, line) in wrap(text, width: max(size.columns, 1)).enumerated() where i < size.rows {
                screen.write(line, row: i, column: 0, width: size.columns, slot: .warning)
            }
            screen.present()
            return
        }
        let layout = Layout(size)
        header(state, layout.header, screen)
        if state.mode != .help {
            queue(state, layout.queue, screen)
            for row in layout.queue.row..<(layout.queue.row + layout.queue.rows) {
                screen.write("│", row: row, column: layout.queue.columns, width: 1, slot: .chrome)
            }
        }
        switch state.mode {
        case .help:
            // The help takes the queue's room too: every key fits at 80×24.
            help(Layout.Rect(row: layout.queue.row, column: 0, rows: layout.queue.rows, columns: size.columns), screen)
        case .tray: trayList(state, layout.frame, screen)
        case .cutView: cutView(state, layout, screen)
        case .similar: similarList(state, layout.frame, screen)
        default: picture(state, layout, screen)
        }
        if state.mode != .help {
            filmstrip(state, layout, screen)
            details(state, layout.details, screen)
        }
        tray(state, layout.tray, screen)
        pipeline(state, layout.pipeline, screen)
        message(state, layout.message, screen)
        screen.present()
    }

    // MARK: - Panes

    private func header(_ state: StationState, _ rect: Layout.Rect, _ screen: any Screen) {
        var text = " heaters"
        if let c = state.current {
            text += " · clip \(c.clipID) · source \(c.sourceID) \"\(DisplayText.clean(c.sourceTitle))\" · "
                + "\(Timecode.format(c.startSeconds))–\(Timecode.format(c.endSeconds)) · \(c.frameCount) f"
        } else {
            text += " · review queue"
        }
        screen.write(DisplayText.pad(text, rect.columns), row: rect.row, column: 0, width: rect.columns, slot: .header)
    }

    private func queue(_ state: StationState, _ rect: Layout.Rect, _ screen: any Screen) {
        var title = " queue · \(state.queueTotal) pending"
        if let source = state.filter.sourceID { title += " · source \(source)" }
        if let tag = state.filter.tag { title += " · #\(DisplayText.clean(tag))" }
        screen.write(DisplayText.pad(title, rect.columns), row: rect.row, column: 0, width: rect.columns, slot: .title)
        let rows = state.rows
        let listRows = rect.rows - 1
        guard !rows.isEmpty else {
            let text = !state.queueLoaded ? "loading…"
                : state.filter == QueueFilter() ? "nothing pending review: submit a video (heaters submit)"
                : "nothing pending under this filter (:source, :tag to clear)"
            for (i, line) in wrap(text, width: rect.columns - 2).enumerated() where i < listRows {
                screen.write(" " + line, row: rect.row + 1 + i, column: 0, width: rect.columns, slot: .dim)
            }
            return
        }
        let selected = state.selectedIndex ?? 0
        let top = max(0, min(selected - listRows / 2, rows.count - listRows))
        for (offset, entry) in rows.dropFirst(top).prefix(listRows).enumerated() {
            let index = top + offset
            let marked = state.marks.contains(entry.clipID)
            let line = Self.queueLine(entry, selected: index == selected, marked: marked, width: rect.columns)
            let slot: ThemeSlot = index == selected ? .selection : marked ? .marked : Self.slot(for: entry.state)
            screen.write(line, row: rect.row + 1 + offset, column: 0, width: rect.columns, slot: slot)
        }
    }

    /// One queue row: marker, id, duration, state, tags.
    static func queueLine(_ entry: QueueEntry, selected: Bool, marked: Bool, width: Int) -> String {
        let marker = selected ? ">" : marked ? "*" : " "
        let duration = String(format: "%5.1fs", entry.durationSeconds)
        var text = "\(marker)\(String(entry.clipID).leftPadded(6)) \(duration) \(shortState(entry.state))"
        if !entry.tags.isEmpty { text += " #" + DisplayText.clean(entry.tags.joined(separator: " #")) }
        return DisplayText.pad(text, width)
    }

    static func shortState(_ state: ClipState) -> String {
        switch state {
        case .pendingReview: "pending"
        case .reviewApproved: "approved"
        case .reviewSkipped: "skipped"
        case .reviewArchived: "archived"
        default: state.rawValue
        }
    }

    static func slot(for state: ClipState) -> ThemeSlot {
        switch state {
        case .pendingReview: .pending
        case .reviewApproved: .approved
        case .reviewSkipped: .skipped
        case .reviewArchived: .archived
        default: state.isFailure ? .failure : .text
        }
    }

    private func picture(_ state: StationState, _ layout: Layout, _ screen: any Screen) {
        let rect = layout.frame
        if let picture = state.picture, state.current?.sourceID == picture.key.source {
            // A picture in pixels may be a cell or two smaller than the room (the terminal's cells
            // are not exactly 1:2): centred.
            let p = layout.picture
            screen.draw(picture.grid, row: p.row + max(0, p.rows - picture.grid.height) / 2,
                        column: p.column + max(0, p.columns - picture.grid.width) / 2)
            return
        }
        let text = state.current == nil ? "" : state.frameError.map { "cannot show this frame: " + DisplayText.clean($0) }
            ?? "loading frame \(state.frame)…"
        for (i, line) in wrap(text, width: rect.columns - 4).enumerated() {
            screen.write(line, row: rect.row + rect.rows / 2 + i, column: rect.column + 2, width: rect.columns - 2, slot: .dim)
        }
    }

    private func cutView(_ state: StationState, _ layout: Layout, _ screen: any Screen) {
        let rect = layout.frame
        let keys = StationReducer.cutKeys(state)
        guard keys.count == 4, state.current != nil else { return }
        let neighbours = state.currentNeighbours
        let halfColumns = (rect.columns - 1) / 2, halfRows = (rect.rows - 2) / 2
        let labels = ["before: clip \(neighbours?.before.map { String($0.clipID) } ?? "—") last frame",
                      "this clip's first frame", "this clip's last frame",
                      "after: clip \(neighbours?.after.map { String($0.clipID) } ?? "—") first frame"]
        for (i, key) in keys.enumerated() {
            let row = rect.row + (i / 2) * (halfRows + 1), column = rect.column + (i % 2) * (halfColumns + 1)
            screen.write(DisplayText.fit(labels[i], halfColumns), row: row, column: column, width: halfColumns, slot: .title)
            if let key, let grid = state.cutPictures[key] {
                screen.draw(grid, row: row + 1, column: column)
            } else {
                screen.write(key == nil ? "(no clip)" : "loading…", row: row + 1 + halfRows / 2, column: column + 2,
                             width: halfColumns - 2, slot: .dim)
            }
        }
        screen.write(DisplayText.fit("cut view · b to leave · m merges this clip with the one before", rect.columns),
                     row: rect.row + rect.rows - 1, column: rect.column, width: rect.columns, slot: .dim)
    }

    private func filmstrip(_ state: StationState, _ layout: Layout, _ screen: any Screen) {
        let rect = layout.filmstrip
        let keys = StationReducer.filmstripKeys(state)
        guard !keys.isEmpty else { return }
        var marker = 0
        for (i, key) in keys.enumerated() where key.frame <= state.frame { marker = i }
        for (i, key) in keys.enumerated() {
            let column = rect.column + i * (layout.thumbnail.columns + 1)
            guard column + layout.thumbnail.columns <= rect.column + rect.columns else { break }
            if let grid = state.thumbnails[key] {
                screen.draw(grid, row: rect.row, column: column)
            } else {
                screen.write("·", row: rect.row + layout.thumbnail.rows / 2, column: column + layout.thumbnail.columns / 2,
                             width: 1, slot: .dim)
            }
            if i == marker {
                let bar = String(repeating: "▀", count: layout.thumbnail.columns)
                screen.write(bar, row: rect.row + layout.thumbnail.rows, column: column, width: layout.thumbnail.columns,
                             slot: .title)
            }
        }
    }

    private func details(_ state: StationState, _ rect: Layout.Rect, _ screen: any Screen) {
        guard let c = state.current else { return }
        let n = state.frame - c.startFrame + 1
        var parts = ["frame \(n)/\(c.frameCount)", "f \(state.frame)",
                     Timecode.format(Double(state.frame) / max(c.framesPerSecond, 1)), Self.shortState(c.state)]
        if state.playing {
            parts.append("▶ \(StationReducer.speedText(state.speed))"
                         + (state.playbackRate.map { String(format: " %.0f fps", $0) } ?? ""))
        } else {
            parts.append("❚❚")
        }
        if !state.marks.isEmpty { parts.append("\(state.marks.count) marked" + (state.batchArmed ? " · next decision: all" : "")) }
        if let count = state.count { parts.append("count \(count)") }
        if state.picture.map({ $0.key.frame != state.frame }) ?? false { parts.append("…") }
        screen.write(DisplayText.fit(" " + parts.joined(separator: " · "), rect.columns), row: rect.row, column: rect.column,
                     width: rect.columns, slot: .text)
    }

    private func tray(_ state: StationState, _ rect: Layout.Rect, _ screen: any Screen) {
        let line = String(repeating: "─", count: rect.columns)
        screen.write(line, row: rect.row, column: 0, width: rect.columns, slot: .chrome)
        screen.write(" undo ", row: rect.row, column: 1, width: 6, slot: .title)
        let items = state.tray.filter { $0.status != .undone }
        guard !items.isEmpty else {
            if rect.rows > 1 {
                screen.write(" no recent decisions · u undo · U tray · ? help", row: rect.row + 1, column: 0, width: rect.columns,
                             slot: .dim)
            }
            return
        }
        var column = 1
        var row = rect.row + 1
        for item in items.prefix(12) {
            let (text, slot) = Self.trayText(item, now: state.now)
            let width = DisplayText.width(text) + 3
            if column + width > rect.columns {
                row += 1
                column = 1
                if row >= rect.row + rect.rows { break }
            }
            screen.write(text, row: row, column: column, width: rect.columns - column, slot: slot)
            column += width
        }
    }

    static func trayText(_ item: TrayItem, now: Date) -> (String, ThemeSlot) {
        let left = item.settlesAt.map { max(0, Int($0.timeIntervalSince(now).rounded(.up))) }
        let summary = DisplayText.clean(item.summary)
        switch item.status {
        case .scheduled:
            return ("\(summary) (lands in \(left ?? 0)s)", .trayScheduled)
        case .settling:
            return ("\(summary) (undo in \(left ?? 0)s)", .tray)
        case .done:
            return (summary, .trayDone)
        case .failed(let message):
            return ("\(summary) failed: \(DisplayText.clean(message))", .failure)
        case .undone:
            return ("\(summary) undone", .trayDone)
        }
    }

    private func trayList(_ state: StationState, _ rect: Layout.Rect, _ screen: any Screen) {
        screen.write(" undo tray · newest first · u undoes the newest · U or escape closes", row: rect.row, column: rect.column,
                     width: rect.columns, slot: .title)
        for (i, item) in state.tray.prefix(rect.rows - 1).enumerated() {
            let (text, slot) = Self.trayText(item, now: state.now)
            screen.write(DisplayText.fit(" \(item.actionID)  " + text, rect.columns), row: rect.row + 1 + i, column: rect.column,
                         width: rect.columns, slot: slot)
        }
    }

    /// The `f` list in the frame's place: nearest first, with distance, source and where.
    private func similarList(_ state: StationState, _ rect: Layout.Rect, _ screen: any Screen) {
        guard let list = state.similar else { return }
        let result = list.result
        // The keys first: at 80 columns the end of the line is cut.
        screen.write(DisplayText.fit(" like clip \(result.clip) · j/k · enter opens · f closes · by \(result.basis)"
                                     + " · \(DisplayText.clean(result.model))", rect.columns),
                     row: rect.row, column: rect.column, width: rect.columns, slot: .title)
        let listRows = rect.rows - 1
        let top = max(0, min(list.selected - listRows / 2, result.clips.count - listRows))
        for (offset, similar) in result.clips.dropFirst(top).prefix(listRows).enumerated() {
            let index = top + offset
            let line = Self.similarLine(similar, selected: index == list.selected, width: rect.columns)
            screen.write(line, row: rect.row + 1 + offset, column: rect.column, width: rect.columns,
                         slot: index == list.selected ? .selection : Self.slot(for: similar.entry.state))
        }
    }

    /// One similar clip: marker, id, distance, state, source and its place in it, tags.
    static func similarLine(_ similar: SimilarClip, selected: Bool, width: Int) -> String {
        let entry = similar.entry
        var text = "\(selected ? ">" : " ")\(String(entry.clipID).leftPadded(6)) "
            + String(format: "%.3f", similar.distance) + " \(shortState(entry.state).padding(toLength: 9, withPad: " ", startingAt: 0))"
            + " \(DisplayText.clean(entry.sourceTitle)) @" + Timecode.format(entry.startSeconds)
            + String(format: " %.1fs", entry.durationSeconds)
        if !entry.tags.isEmpty { text += " #" + DisplayText.clean(entry.tags.joined(separator: " #")) }
        return DisplayText.pad(DisplayText.fit(text, width), width)
    }

    private func pipeline(_ state: StationState, _ rect: Layout.Rect, _ screen: any Screen) {
        var text = " pipeline: "
        var slot: ThemeSlot = .pipeline
        if state.databaseLost {
            text += "database unreachable · reconnecting"
            slot = .warning
        } else if let p = state.pipeline {
            var parts = p.counts.map { "\($0.value) \($0.label)" }
            parts.append("\(p.failed) failed")
            for job in p.running.prefix(3) { parts.append(job.stage + (job.progress.map { String(format: " %.0f%%", $0 * 100) } ?? "")) }
            text += parts.joined(separator: " · ")
            if p.reviewOverdue > 0 {
                text += " · no worker is landing merges and splits (start heaters --headless)"
                slot = .warning
            } else if p.failed > 0 {
                slot = .failure
            }
        } else {
            text += "…"
        }
        screen.write(DisplayText.pad(text, rect.columns), row: rect.row, column: 0, width: rect.columns, slot: slot)
    }

    private func message(_ state: StationState, _ rect: Layout.Rect, _ screen: any Screen) {
        switch state.mode {
        case .command(let text):
            screen.write(DisplayText.fit(":" + DisplayText.clean(text) + "▏", rect.columns), row: rect.row, column: 0,
                         width: rect.columns, slot: .prompt)
            return
        case .tagPrompt(let text, let batch):
            let prompt = batch ? "tag for the marked clips: " : "tag: "
            screen.write(DisplayText.fit(prompt + DisplayText.clean(text) + "▏  (enter to tag, escape to cancel)", rect.columns),
                         row: rect.row, column: 0, width: rect.columns, slot: .prompt)
            return
        default:
            break
        }
        if let message = state.message {
            screen.write(DisplayText.pad(" " + DisplayText.clean(message.text), rect.columns), row: rect.row, column: 0,
                         width: rect.columns, slot: message.kind == .error ? .error : .message)
        } else {
            screen.write(" a approve · s skip · d archive · c split · m merge · u undo · ? help · q quit", row: rect.row,
                         column: 0, width: rect.columns, slot: .dim)
        }
    }

    private func help(_ rect: Layout.Rect, _ screen: any Screen) {
        screen.write(" keys · any key closes this help", row: rect.row, column: rect.column, width: rect.columns, slot: .title)
        let table = keymap.helpTable()
        let keyColumn = min(12, table.map { DisplayText.width($0.keys) }.max() ?? 8)
        var row = rect.row + 1
        var column = rect.column + 1
        let columnWidth = (rect.columns - 3) / 2
        var group: StationAction.Group?
        for entry in table {
            if entry.group != group {
                group = entry.group
                if row >= rect.row + rect.rows { row = rect.row + 1; column += columnWidth + 1 }
                screen.write(entry.group.rawValue, row: row, column: column, width: columnWidth, slot: .title)
                row += 1
            }
            if row >= rect.row + rect.rows {
                row = rect.row + 1
                column += columnWidth + 1
                if column + 10 > rect.column + rect.columns { break }
            }
            let line = DisplayText.pad(entry.keys, keyColumn) + "  " + entry.help
            screen.write(DisplayText.fit(line, columnWidth), row: row, column: column, width: columnWidth, slot: .help)
            row += 1
        }
    }

    private func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if DisplayText.width(line) + word.count + 1 > width, !line.isEmpty {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
