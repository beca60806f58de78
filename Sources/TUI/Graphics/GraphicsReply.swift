/// What a terminal answered to the station's graphics query: a kitty graphics query
/// (`ESC _G i=31,a=q … ESC \`), the cell size in pixels (`CSI 16 t`) and the primary device
/// attributes (`CSI c`), in that order. Every terminal answers the last one, so its answer
/// ends the wait; kitty answers the first, sixel terminals list attribute 4 in the last.
public struct GraphicsReply: Sendable, Hashable {
    public var kitty = false
    public var sixel = false
    public var cellPixels: (width: Int, height: Int)?
    /// The device attributes arrived: nothing more will.
    public var complete = false

    public static let query: [UInt8] = Array("\u{1B}_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\u{1B}\\\u{1B}[16t\u{1B}[c".utf8)

    public init() {}

    public static func == (a: GraphicsReply, b: GraphicsReply) -> Bool {
        a.kitty == b.kitty && a.sixel == b.sixel && a.complete == b.complete
            && a.cellPixels?.width == b.cellPixels?.width && a.cellPixels?.height == b.cellPixels?.height
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kitty)
        hasher.combine(sixel)
        hasher.combine(complete)
        hasher.combine(cellPixels?.width)
        hasher.combine(cellPixels?.height)
    }

    /// Reads the answers out of the bytes received so far; anything else (a key typed early) is ignored.
    public init(parsing bytes: [UInt8]) {
        var i = 0
        while i < bytes.count {
            guard bytes[i] == 0x1B, i + 1 < bytes.count else { i += 1; continue }
            if bytes[i + 1] == UInt8(ascii: "_") {
                // APC: up to ESC \ ; kitty's answer is "Gi=31;OK".
                guard let end = Self.find([0x1B, UInt8(ascii: "\\")], in: bytes, from: i + 2) else { break }
                let body = String(decoding: bytes[(i + 2)..<end], as: UTF8.self)
                if body.hasPrefix("Gi=31;") && body.hasSuffix("OK") { kitty = true }
                i = end + 2
            } else if bytes[i + 1] == UInt8(ascii: "[") {
                // CSI: parameters up to a final byte.
                var j = i + 2
                while j < bytes.count, !(0x40...0x7E).contains(bytes[j]) { j += 1 }
                guard j < bytes.count else { break }
                let parameters = String(decoding: bytes[(i + 2)..<j], as: UTF8.self)
                switch bytes[j] {
                case UInt8(ascii: "c") where parameters.hasPrefix("?"):
                    let attributes = parameters.dropFirst().split(separator: ";")
                    if attributes.dropFirst().contains("4") { sixel = true }
                    complete = true
                case UInt8(ascii: "t"):
                    let fields = parameters.split(separator: ";").compactMap { Int($0) }
                    if fields.count == 3, fields[0] == 6 { cellPixels = (width: fields[2], height: fields[1]) }
                default: break
                }
                i = j + 1
            } else {
                i += 1
            }
        }
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        for i in start...(bytes.count - needle.count) where Array(bytes[i..<(i + needle.count)]) == needle { return i }
        return nil
    }
}
