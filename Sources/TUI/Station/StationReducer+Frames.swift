import Domain
import Foundation

extension StationReducer {
    /// The picture on screen now.
    static func mainKey(_ state: StationState) -> FrameKey? {
        guard let current = state.current else { return nil }
        let picture = state.layout.picture
        return FrameKey(source: current.sourceID, frame: state.frame, columns: picture.columns, rows: picture.rows,
                        pixels: state.pixelPictures)
    }

    /// The filmstrip: small frames at equal steps through the clip.
    static func filmstripKeys(_ state: StationState) -> [FrameKey] {
        guard let current = state.current else { return [] }
        let layout = state.layout
        let count = min(layout.thumbnails, current.frameCount)
        return (0..<count).map { i in
            let frame = current.startFrame + (count > 1 ? (current.frameCount - 1) * i / (count - 1) : 0)
            return FrameKey(source: current.sourceID, frame: frame, columns: layout.thumbnail.columns, rows: layout.thumbnail.rows)
        }
    }

    /// The cut view's four pictures: the clip before's last frame, this clip's first, this
    /// clip's last, the next clip's first (nil where there is no such clip).
    static func cutKeys(_ state: StationState) -> [FrameKey?] {
        guard let current = state.current else { return [] }
        let picture = state.layout.picture
        let columns = max(1, (picture.columns - 1) / 2), rows = max(1, (state.layout.frame.rows - 2) / 2)
        let neighbours = state.currentNeighbours
        func key(_ frame: Int?) -> FrameKey? {
            frame.map { FrameKey(source: current.sourceID, frame: $0, columns: columns, rows: rows, pixels: state.pixelPictures) }
        }
        return [key(neighbours?.before.map { $0.endFrame - 1 }), key(current.startFrame), key(current.endFrame - 1),
                key(neighbours?.after?.startFrame)]
    }

    /// Asks for the pictures the state wants, when that changed: the current frame first,
    /// the filmstrip or cut view next, then frames around the current one and the first
    /// frames of the neighbouring clips (more of them while playing).
    func pictures(_ state: inout StationState) -> [StationEffect] {
        var wanted: [FrameKey: FramePriority] = [:]
        if let current = state.current, let main = Self.mainKey(state), state.size.isUsable {
            func want(_ key: FrameKey, _ priority: FramePriority) {
                if let old = wanted[key], old <= priority { return }
                wanted[key] = priority
            }
            if state.mode == .cutView {
                for key in Self.cutKeys(state).compactMap({ $0 }) { want(key, .now) }
            } else if state.mode != .help {
                want(main, .now)
            }
            for key in Self.filmstripKeys(state) { want(key, .visible) }
            let reach = state.playing ? 12 : 3
            for offset in -reach...reach where offset != 0 {
                let frame = state.frame + offset
                guard frame >= current.startFrame, frame < current.endFrame else { continue }
                if state.playing, offset < 0 { continue }
                want(FrameKey(source: main.source, frame: frame, columns: main.columns, rows: main.rows, pixels: main.pixels), .ahead)
            }
            if let neighbours = state.currentNeighbours {
                for clip in [neighbours.before, neighbours.after].compactMap({ $0 }) {
                    want(FrameKey(source: clip.sourceID, frame: clip.startFrame, columns: main.columns, rows: main.rows, pixels: main.pixels), .ahead)
                }
            }
            if let index = state.selectedIndex, index + 1 < state.rows.count {
                let next = state.rows[index + 1]
                want(FrameKey(source: next.sourceID, frame: next.startFrame, columns: main.columns, rows: main.rows, pixels: main.pixels), .ahead)
            }
        }
        guard wanted != state.wanted else { return [] }
        state.wanted = wanted
        state.thumbnails = state.thumbnails.filter { wanted[$0.key] != nil }
        state.cutPictures = state.cutPictures.filter { wanted[$0.key] != nil }
        return [.render(wanted)]
    }

    func frameRendered(_ key: FrameKey, _ grid: CellGrid, _ state: inout StationState) -> [StationEffect] {
        if key == Self.mainKey(state) {
            state.picture = .init(key: key, grid: grid)
            state.frameError = nil
            if state.playing {
                state.framesShown.append(state.now)
            }
        }
        if Self.filmstripKeys(state).contains(key) { state.thumbnails[key] = grid }
        if Self.cutKeys(state).contains(key) { state.cutPictures[key] = grid }
        return []
    }
}
