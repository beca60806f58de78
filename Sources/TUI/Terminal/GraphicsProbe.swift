@preconcurrency import CNcursesw
import Foundation

/// Asks the terminal, before curses starts, whether it draws kitty or sixel pictures and
/// how big its cells are in pixels. The terminal's answer arrives on the keyboard input,
/// so the input is raw for the wait, which ends at the device attributes' answer (every
/// terminal sends one) or after `timeout`.
enum GraphicsProbe {
    /// Pixels are asked for by a setting, so NO_COLOR (which governs colour by default) does not veto them.
    static func detect(_ setting: GraphicsSetting, timeout: Duration = .milliseconds(400)) -> PixelGraphics? {
        guard setting != .symbols else { return nil }
        let environment = ProcessInfo.processInfo.environment
        var width: Int32 = 0, height: Int32 = 0, columns: Int32 = 0, rows: Int32 = 0
        let window = heaters_window_pixels(STDOUT_FILENO, &width, &height, &columns, &rows) == 0
            ? (width: Int(width), height: Int(height)) : nil
        // Under tmux or screen the answer would be the multiplexer's: it is not asked.
        let reply = PixelGraphics.underMultiplexer(environment) ? nil : ask(timeout: timeout)
        return PixelGraphics.choose(setting, reply: reply, environment: environment, windowPixels: window,
                                    cells: (Int(columns), Int(rows)))
    }

    private static func ask(timeout: Duration) -> GraphicsReply? {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { return nil }
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return nil }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        guard tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0 else { return nil }
        defer { _ = tcsetattr(STDIN_FILENO, TCSANOW, &saved) }

        var query = GraphicsReply.query
        guard write(STDOUT_FILENO, &query, query.count) == query.count else { return nil }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let left = deadline - ContinuousClock.now
            let milliseconds = Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            var poller = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, milliseconds) > 0 else { continue }
            let count = read(STDIN_FILENO, &buffer, buffer.count)
            guard count > 0 else { break }
            received += buffer[0..<count]
            if GraphicsReply(parsing: received).complete { break }
        }
        return GraphicsReply(parsing: received)
    }
}
