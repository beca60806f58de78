import Foundation

/// Where each frame of a proxy is: byte offset, size and presentation time of its packet,
/// plus what a decoder needs to decode one packet alone (codec, size, extradata). Every
/// proxy frame is a key frame, so frame n is one ranged read and one decode.
///
/// Stored as a compact binary file (a 2-hour source, ~200,000 frames, is ~4 MB and loads
/// in milliseconds): "HTFI1\n", a length-prefixed JSON header, then 20 bytes per frame
/// (offset Int64, size Int32, pts Int64, little-endian).
public struct FrameIndex: Sendable, Equatable {
    public struct Header: Codable, Sendable, Equatable {
        public var codec: String
        public var width: Int
        public var height: Int
        /// libav's AVPixelFormat number of the decoded frames.
        public var pixelFormat: Int32
        public var timeBase: [Int32]
        public var frameRate: [Int32]
        public var extradata: Data
    }

    public struct Entry: Sendable, Equatable {
        public var offset: Int64
        public var size: Int32
        public var pts: Int64
    }

    public var header: Header
    public var entries: [Entry]

    public var frameCount: Int { entries.count }

    static let magic = Data("HTFI1\n".utf8)

    public func encoded() throws -> Data {
        var data = Self.magic
        let json = try JSONEncoder().encode(header)
        append(&data, UInt32(json.count))
        data.append(json)
        data.reserveCapacity(data.count + entries.count * 20)
        for entry in entries {
            append(&data, UInt64(bitPattern: entry.offset))
            append(&data, UInt32(bitPattern: entry.size))
            append(&data, UInt64(bitPattern: entry.pts))
        }
        return data
    }

    public init(header: Header, entries: [Entry]) {
        self.header = header
        self.entries = entries
    }

    public init(decoding data: Data) throws {
        guard data.starts(with: Self.magic) else { throw MediaError.notMedia(path: "frame index", reason: "not a heaters frame index") }
        var cursor = Self.magic.count
        func read<T: FixedWidthInteger>(_: T.Type) throws -> T {
            let size = MemoryLayout<T>.size
            guard cursor + size <= data.count else { throw MediaError.notMedia(path: "frame index", reason: "truncated") }
            var value = T.zero
            withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: data[data.startIndex + cursor ..< data.startIndex + cursor + size]) }
            cursor += size
            return T(littleEndian: value)
        }
        let headerLength = Int(try read(UInt32.self))
        guard cursor + headerLength <= data.count else { throw MediaError.notMedia(path: "frame index", reason: "truncated") }
        header = try JSONDecoder().decode(Header.self, from: data[data.startIndex + cursor ..< data.startIndex + cursor + headerLength])
        cursor += headerLength
        let count = (data.count - cursor) / 20
        guard (data.count - cursor) % 20 == 0 else { throw MediaError.notMedia(path: "frame index", reason: "truncated entry") }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        for frame in 0..<count {
            let entry = Entry(offset: Int64(bitPattern: try read(UInt64.self)), size: Int32(bitPattern: try read(UInt32.self)),
                              pts: Int64(bitPattern: try read(UInt64.self)))
            // A damaged or forged index must not become a range that traps (upper < lower, or
            // an offset + size that overflows) when the frame is read.
            guard entry.offset >= 0, entry.size > 0, entry.offset <= Int64.max - Int64(entry.size) else {
                throw MediaError.notMedia(path: "frame index",
                                          reason: "frame \(frame) has offset \(entry.offset) and size \(entry.size): the index is damaged")
            }
            entries.append(entry)
        }
        self.entries = entries
    }

    private func append<T: FixedWidthInteger>(_ data: inout Data, _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }
}
