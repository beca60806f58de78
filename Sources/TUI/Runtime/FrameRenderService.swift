import Foundation
import Media
import Synchronization

/// Decodes and renders pictures off the main thread: the frame through the backend's frame
/// source (one ranged read, one decode), then libchafa into cells. Two threads take the most
/// urgent wanted picture first; a newer wish list replaces the older one, so frames the
/// reviewer has moved past are never rendered. Rendered pictures are kept (LRU), so stepping
/// back or returning to a clip is immediate.
final class FrameRenderService: @unchecked Sendable {
    private let backend: any ReviewBackend
    private let events: EventQueue
    private let colors: ChafaRenderer.Colors
    /// The protocol and cell size for pictures in pixels (keys with `pixels`); nil: symbols only.
    private let graphics: PixelGraphics?
    private let state = Mutex<Work>(Work())
    private let signal = DispatchSemaphore(value: 0)
    private let capacity = 400

    private struct Work {
        var wanted: [FrameKey: FramePriority] = [:]
        var inProgress: Set<FrameKey> = []
        /// The read-ahead renders among them: one at a time unless playing, so the other
        /// thread is free for the picture a key asks for and a core is left to the drawing.
        var aheadInProgress: Set<FrameKey> = []
        /// Rendered pictures; `fast` ones (playback quality) count only while playing.
        var cache: [FrameKey: (grid: CellGrid, fast: Bool)] = [:]
        var recency: [FrameKey] = []
        var failed: [FrameKey: String] = [:]
        var stopping = false
        /// Whether playback is on: renders get cheaper.
        var fast = false
        /// While the main thread draws a key's update, only pictures it shows are rendered.
        var holdingAhead = false

        /// A rendered picture good enough for now.
        func usable(_ key: FrameKey) -> CellGrid? {
            guard let entry = cache[key] else { return nil }
            return entry.fast && !fast ? nil : entry.grid
        }
    }

    private let threads: Int

    init(backend: any ReviewBackend, events: EventQueue, colors: ChafaRenderer.Colors, graphics: PixelGraphics?,
         threads: Int = 2) {
        self.threads = max(1, threads)
        self.graphics = graphics
        self.backend = backend
        self.events = events
        self.colors = colors
        for n in 0..<max(1, threads) {
            let thread = Thread { [self] in
                // A little below the main thread, which draws: rendering ahead must never
                // delay the picture already rendered. (On Linux the nice value is per thread.)
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 4)
                loop()
            }
            thread.name = "heaters.frames-\(n)"
            thread.qualityOfService = .userInteractive
            thread.start()
        }
    }

    /// Replaces the wish list; pictures already rendered are answered at once.
    func want(_ wanted: [FrameKey: FramePriority], fast: Bool) {
        let ready: [(FrameKey, CellGrid)] = state.withLock { work in
            work.wanted = wanted
            work.fast = fast
            return wanted.keys.compactMap { key in work.usable(key).map { (key, $0) } }
        }
        for (key, grid) in ready where wanted[key] != .ahead { events.post(.frameRendered(key, grid)) }
        // One wake-up per thread: each renders wanted pictures until none is left.
        for _ in 0..<threads { signal.signal() }
    }

    /// Holds rendering ahead back (true) while the main thread draws, then lets it go on.
    func holdAhead(_ hold: Bool) {
        state.withLock { $0.holdingAhead = hold }
        if !hold { for _ in 0..<threads { signal.signal() } }
    }

    func stop() {
        state.withLock { $0.stopping = true }
        for _ in 0..<threads { signal.signal() }
    }

    private func loop() {
        var renderers: [String: ChafaRenderer] = [:]
        var pixelRenderers: [String: PixelRenderer] = [:]
        while true {
            signal.wait()
            while let (key, fast) = next() {
                let result: Result<CellGrid, any Error> = Result {
                    let source = try backend.frames(source: key.source)
                    let header = source.index.header
                    if key.pixels, let graphics {
                        let cells = PixelRenderer.fitted(columns: key.columns, rows: key.rows, cell: graphics,
                                                         imageWidth: header.width, imageHeight: header.height)
                        let width = max(16, min(header.width, cells.columns * graphics.cellWidth)) / 2 * 2
                        let height = max(8, Int((Double(width) * Double(header.height) / Double(max(header.width, 1))).rounded()) / 2 * 2)
                        let pixels = try source.frame(key.frame, width: width, height: height)
                        let name = "\(cells.columns)x\(cells.rows)"
                        let renderer = try pixelRenderers[name] ?? PixelRenderer(width: cells.columns, height: cells.rows, graphics: graphics)
                        pixelRenderers[name] = renderer
                        return try renderer.render(pixels: pixels.rgb, width: pixels.width, height: pixels.height, format: .rgb)
                    }
                    // Decode at most twice the cells' resolution: chafa only needs that much.
                    let width = min(header.width, max(16, key.columns * 4)) / 2 * 2
                    let height = max(8, Int((Double(width) * Double(header.height) / Double(max(header.width, 1))).rounded()) / 2 * 2)
                    let pixels = try source.frame(key.frame, width: width, height: height)
                    let name = "\(key.columns)x\(key.rows)\(fast ? "f" : "")"
                    let renderer = try renderers[name] ?? ChafaRenderer(width: key.columns, height: key.rows, colors: colors,
                                                                         workFactor: fast ? 0.1 : 0.6)
                    renderers[name] = renderer
                    return try renderer.render(pixels: pixels.rgb, width: pixels.width, height: pixels.height, format: .rgb)
                }
                finish(key, result, fast: fast)
            }
            if state.withLock({ $0.stopping }) { return }
        }
    }

    /// The most urgent wanted picture not rendered or being rendered.
    private func next() -> (FrameKey, Bool)? {
        state.withLock { work in
            guard !work.stopping else { return nil }
            let aheadAllowed = !work.holdingAhead && (work.fast || work.aheadInProgress.isEmpty)
            let candidates = work.wanted.filter {
                work.usable($0.key) == nil && !work.inProgress.contains($0.key) && work.failed[$0.key] == nil
                    && (aheadAllowed || $0.value != .ahead)
            }
            guard let pick = candidates.min(by: { ($0.value, $0.key.frame) < ($1.value, $1.key.frame) })?.key else { return nil }
            work.inProgress.insert(pick)
            if work.wanted[pick] == .ahead { work.aheadInProgress.insert(pick) }
            return (pick, work.fast)
        }
    }

    private func finish(_ key: FrameKey, _ result: Result<CellGrid, any Error>, fast: Bool) {
        let stillWanted: Bool = state.withLock { work in
            work.inProgress.remove(key)
            work.aheadInProgress.remove(key)
            switch result {
            case .success(let grid):
                // A fast (playback) render never replaces a full one; on pause the picture is drawn again in full.
                if !(fast && work.cache[key]?.fast == false) {
                    if work.cache[key] == nil { work.recency.append(key) }
                    work.cache[key] = (grid, fast)
                    if work.recency.count > capacity { work.cache.removeValue(forKey: work.recency.removeFirst()) }
                }
            case .failure(let error):
                work.failed[key] = "\(error)"
            }
            return work.wanted[key] != nil
        }
        guard stillWanted else { return }
        switch result {
        case .success(let grid): events.post(.frameRendered(key, grid))
        case .failure(let error): events.post(.frameFailed(key, "\(error)"))
        }
    }
}
