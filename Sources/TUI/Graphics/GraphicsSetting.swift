/// How the station draws pictures: block symbols through curses (the default, works in every
/// terminal, tmux and screen included), or real pixels where the terminal has a graphics
/// protocol. `auto` asks the terminal; `sixel` and `kitty` use that protocol without asking
/// (for terminals that draw it but do not answer the query).
public enum GraphicsSetting: String, Sendable, CaseIterable {
    case symbols, auto, sixel, kitty

    public init(parsing text: String) throws(GraphicsSettingError) {
        guard let setting = GraphicsSetting(rawValue: text.lowercased()) else { throw GraphicsSettingError(text: text) }
        self = setting
    }
}

public struct GraphicsSettingError: Error, CustomStringConvertible {
    public let text: String
    public var description: String {
        "graphics \"\(text)\" is not one of \(GraphicsSetting.allCases.map(\.rawValue).joined(separator: ", "))"
    }
}

/// A terminal graphics protocol chafa can write.
public enum GraphicsProtocol: String, Sendable {
    case sixel, kitty
}

/// What pictures the station draws in pixels, and the size of a cell in pixels.
public struct PixelGraphics: Sendable, Hashable {
    public var protocolName: GraphicsProtocol
    public var cellWidth: Int
    public var cellHeight: Int

    public init(protocolName: GraphicsProtocol, cellWidth: Int, cellHeight: Int) {
        self.protocolName = protocolName
        self.cellWidth = cellWidth
        self.cellHeight = cellHeight
    }

    /// tmux and screen answer queries themselves and do not pass pictures through.
    public static func underMultiplexer(_ environment: [String: String]) -> Bool {
        let term = environment["TERM"] ?? ""
        return environment["TMUX"] != nil || environment["STY"] != nil || term.hasPrefix("screen") || term.hasPrefix("tmux")
    }

    /// The decision: symbols under tmux or screen (they do not pass pictures through), what the
    /// terminal answered under `auto`, the named protocol when forced; the cell size from the
    /// answer, else the window's pixel size over its cells, else 10×20.
    public static func choose(
        _ setting: GraphicsSetting, reply: GraphicsReply?, environment: [String: String],
        windowPixels: (width: Int, height: Int)?, cells: (columns: Int, rows: Int)
    ) -> PixelGraphics? {
        let multiplexed = underMultiplexer(environment)
        let chosen: GraphicsProtocol?
        switch setting {
        case .symbols: chosen = nil
        case .sixel: chosen = .sixel
        case .kitty: chosen = .kitty
        case .auto: chosen = multiplexed ? nil : reply?.kitty == true ? .kitty : reply?.sixel == true ? .sixel : nil
        }
        guard let chosen else { return nil }
        if let cell = reply?.cellPixels, cell.width > 0, cell.height > 0 {
            return PixelGraphics(protocolName: chosen, cellWidth: cell.width, cellHeight: cell.height)
        }
        if let window = windowPixels, window.width > 0, window.height > 0, cells.columns > 0, cells.rows > 0 {
            return PixelGraphics(protocolName: chosen, cellWidth: window.width / cells.columns, cellHeight: window.height / cells.rows)
        }
        return PixelGraphics(protocolName: chosen, cellWidth: 10, cellHeight: 20)
    }
}
