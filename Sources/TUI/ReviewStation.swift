@preconcurrency import CNcursesw
import Foundation

/// The review station: one event loop on the main thread, which owns ncurses. It polls the
/// keyboard and the event queue's wake-up together, hands every key, resize, tick and
/// background answer to the pure reducer, gives the effects to the runner, and draws the
/// state. Nothing slow runs here: the database, storage and decoding are the runner's.
@MainActor
public final class ReviewStation {
    public struct Options: Sendable {
        public var keymap: Keymap
        public var theme: Theme
        public var colors: ColorMode
        /// Where the station remembers the clip and frame it was left at.
        public var bookmark: URL?
        /// Pictures in symbols, or in pixels where the terminal draws them.
        public var graphics: GraphicsSetting

        public init(keymap: Keymap, theme: Theme, colors: ColorMode, bookmark: URL?, graphics: GraphicsSetting = .symbols) {
            self.graphics = graphics
            self.keymap = keymap
            self.theme = theme
            self.colors = colors
            self.bookmark = bookmark
        }
    }

    private let backend: any ReviewBackend
    private let options: Options
    /// Bytes waiting for the terminal beyond which playback drops a picture.
    static let backlog: Int32 = 24 * 1024

    public init(backend: any ReviewBackend, options: Options) {
        self.backend = backend
        self.options = options
    }

    /// Runs until the reviewer quits or the process is told to stop (SIGTERM, SIGHUP,
    /// SIGINT); the terminal is restored and the session's claims are released however it ends.
    public func run() throws {
        let events = try EventQueue()
        // Asked before curses starts: the terminal's answer comes in on the keyboard.
        let pixels = GraphicsProbe.detect(options.graphics)
        let session = CursesSession(colors: options.colors)
        defer { session.close() }
        let signals = [SIGTERM, SIGHUP, SIGINT].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { events.post(.terminate) }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }

        let screen = CursesScreen(session: session, theme: options.theme, colors: options.colors)
        defer { screen.removeGraphics() }
        let runner = EffectRunner(backend: backend, events: events, colors: screen.colors == .none ? .none : .truecolor, graphics: pixels,
                                  bookmark: options.bookmark)
        defer { runner.finish() }
        let reducer = StationReducer(keymap: options.keymap)
        let view = StationView(keymap: options.keymap)
        var state = StationState(size: screen.size, now: Date(), theme: options.theme.name)
        state.pixelPictures = pixels != nil
        runner.perform(reducer.start(&state), playing: false)
        if let mark = EffectRunner.readBookmark(options.bookmark) {
            state.pendingJump = .init(clip: mark.clip, frame: mark.frame)
            runner.perform([.jump(clip: mark.clip, source: nil, frame: mark.frame)], playing: false)
        }
        view.draw(state, on: screen)
        var drawn = state
        // Events left over when one update had taken enough rounds; first in the next.
        var carried: [StationEvent] = []
        // For the latency benchmark: a marker after each update has reached the terminal.
        let marker = ProcessInfo.processInfo.environment["HEATERS_STATION_MARKER"] == "1"
        while !state.quitting {
            events.wakeup.waitForInput(milliseconds: !carried.isEmpty ? 0 : state.playing ? 10 : 200)
            var batch = carried + events.drain()
            while let input = session.nextInput() {
                switch input {
                case .key(let key): batch.append(.key(key))
                case .resized: batch.append(.resize(screen.size))
                case .ignored: break
                }
            }
            // A resize whose KEY_RESIZE got lost still reaches the layout.
            if screen.size != state.size { batch.append(.resize(screen.size)) }
            batch.append(.tick(Date()))
            let keyed = batch.contains { if case .key = $0 { true } else { false } }
            // Rendering ahead waits while a key's update is drawn: on two busy cores it would
            // take the time the picture already rendered needs to reach the terminal.
            if keyed { runner.frames.holdAhead(true) }
            defer { if keyed { runner.frames.holdAhead(false) } }
            // Pictures already rendered are answered while the effects are performed: they are
            // reduced before the draw, so a warm step is drawn once, with its picture.
            var rounds = 0
            while !batch.isEmpty, rounds < 4, !state.quitting {
                for event in batch {
                    let effects = reducer.reduce(&state, event)
                    for effect in effects {
                        if case .setTheme(let name) = effect { apply(theme: name, screen, &state) }
                    }
                    runner.perform(effects, playing: state.playing)
                    if state.quitting { break }
                }
                batch = events.drain()
                rounds += 1
            }
            carried = batch
            // A slow link (SSH): while the terminal has not taken the last picture, playback
            // skips pictures instead of queueing them, so the rate steps down by itself.
            if state.playing, heaters_output_queue(STDOUT_FILENO) > Self.backlog { continue }
            if state != drawn {
                view.draw(state, on: screen)
                drawn = state
                if marker { Self.mark(state) }
            }
        }
    }

    /// An OSC sequence terminals ignore, written after curses has flushed the update: the
    /// clip, the frame, and whether that frame's picture is the one on screen.
    private static func mark(_ state: StationState) {
        let shown = state.picture.map { $0.key == StationReducer.mainKey(state) } ?? false
        let text = "\u{1B}]1337;heaters-drawn;clip=\(state.selectedClip ?? 0);frame=\(state.frame);picture=\(shown ? 1 : 0);"
            + "playing=\(state.playing ? 1 : 0)\u{07}"
        var bytes = Array(text.utf8)
        _ = write(STDOUT_FILENO, &bytes, bytes.count)
    }

    private func apply(theme name: String, _ screen: CursesScreen, _ state: inout StationState) {
        do {
            screen.theme = try Theme.load(name)
            state.theme = name
            state.message = .init(text: "theme \(name)", kind: .info, until: state.now.addingTimeInterval(4))
        } catch {
            state.message = .init(text: error.description, kind: .error, until: state.now.addingTimeInterval(8))
        }
    }
}
