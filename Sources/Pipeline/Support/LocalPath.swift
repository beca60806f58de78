/// A local file's path as the bytes the file system knows it by, and the form heaters stores
/// it in (`source_videos.source_uri`).
///
/// On Linux a path is bytes, not text: a name made on a Latin-1 system can hold a lone 0xE9,
/// which is not UTF-8. Swift's `String` cannot hold such a path without changing it, and a
/// Postgres text column must be valid UTF-8. So a path that is valid UTF-8 is stored as
/// itself (an absolute path, as always), and any other path as a `file://` URI (RFC 8089)
/// with every byte outside `A–Z a–z 0–9 - . _ ~ /` percent-escaped: `file:///media/caf%E9.mp4`.
/// Stored paths are absolute, so a stored value that starts with `file://` is always the
/// second form.
public struct LocalPath: Sendable, Hashable {
    /// The path's bytes, without a terminating NUL.
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Reads either stored form; nil for anything else (a URL, an escape that is not two hex digits).
    public init?(sourceURI: String) {
        if sourceURI.hasPrefix("/") {
            bytes = Array(sourceURI.utf8)
        } else if sourceURI.hasPrefix(Self.scheme) {
            guard let decoded = Self.percentDecoded(Array(sourceURI.utf8.dropFirst(Self.scheme.utf8.count))),
                  decoded.first == UInt8(ascii: "/") else { return nil }
            bytes = decoded
        } else {
            return nil
        }
    }

    private static let scheme = "file://"

    /// The path as text when its bytes are valid UTF-8; nil when they are not.
    public var text: String? { String(validating: bytes, as: UTF8.self) }

    /// What goes into `source_uri`: the path itself when it is text, else the `file://` form.
    public var sourceURI: String {
        if let text { return text }
        return Self.scheme + String(decoding: bytes.flatMap(Self.escaped), as: UTF8.self)
    }

    /// The path for people to read: invalid bytes shown as U+FFFD.
    public var displayText: String { String(decoding: bytes, as: UTF8.self) }

    /// The last path component for people to read, without its extension: a default title.
    public var displayStem: String {
        let name = lastComponent
        let stem = name.lastIndex(of: UInt8(ascii: ".")).flatMap { $0 > name.startIndex ? name[..<$0] : nil } ?? name
        return String(decoding: stem, as: UTF8.self)
    }

    /// The extension when it is 1–5 ASCII letters or digits (lower-cased), else "bin": safe
    /// for a scratch file or a storage key.
    public var safeExtension: String {
        let name = lastComponent
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > name.startIndex else { return "bin" }
        let ext = name[name.index(after: dot)...]
        let ascii = ext.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
        return (1...5).contains(ext.count) && ascii ? String(decoding: ext, as: UTF8.self).lowercased() : "bin"
    }

    private var lastComponent: ArraySlice<UInt8> {
        let slash = bytes.lastIndex(of: UInt8(ascii: "/")).map { bytes.index(after: $0) } ?? bytes.startIndex
        return bytes[slash...]
    }

    /// `relative` made absolute against `directory` and tidied lexically, as
    /// `URL.standardizedFileURL` does: empty and `.` components dropped, `..` removes the one before.
    public static func absolute(_ relative: [UInt8], in directory: [UInt8]) -> LocalPath {
        let joined = relative.first == UInt8(ascii: "/") ? relative : directory + [UInt8(ascii: "/")] + relative
        var components: [ArraySlice<UInt8>] = []
        for component in joined.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            if component.elementsEqual([UInt8(ascii: ".")]) { continue }
            if component.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) { _ = components.popLast(); continue }
            components.append(component)
        }
        let tidied = components.flatMap { [UInt8(ascii: "/")] + $0 }
        return LocalPath(bytes: tidied.isEmpty ? [UInt8(ascii: "/")] : tidied)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
             UInt8(ascii: "~"), UInt8(ascii: "/"): true
        default: false
        }
    }

    private static func escaped(_ byte: UInt8) -> [UInt8] {
        guard !isUnreserved(byte) else { return [byte] }
        let hex = Array("0123456789ABCDEF".utf8)
        return [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
    }

    private static func percentDecoded(_ text: [UInt8]) -> [UInt8]? {
        var result: [UInt8] = []
        var index = 0
        while index < text.count {
            guard text[index] == UInt8(ascii: "%") else { result.append(text[index]); index += 1; continue }
            guard index + 2 < text.count, let high = hexValue(text[index + 1]), let low = hexValue(text[index + 2]) else {
                return nil
            }
            result.append(high << 4 | low)
            index += 3
        }
        return result.contains(0) ? nil : result
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 0x30...0x39: digit - 0x30
        case 0x41...0x46: digit - 0x41 + 10
        case 0x61...0x66: digit - 0x61 + 10
        default: nil
        }
    }
}
