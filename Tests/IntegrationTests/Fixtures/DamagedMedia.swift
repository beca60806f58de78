import Foundation

/// Damage done to real media files at the byte level, for the decode check and normalization
/// tests: what a broken download or a bad merge leaves behind.
enum DamagedMedia {
    struct NotFound: Error, CustomStringConvertible {
        var description: String
    }

    /// A 10 s testsrc2 + sine MP4 (key frame every 25 frames, 250 frames) written into
    /// `directory` and damaged over `span` of its media data (see `overwriteMediaData`).
    static func damagedPattern(in directory: URL, span: ClosedRange<Double>, withAudio: Bool = true,
                               name: String = "damaged.mp4") throws -> URL {
        let clean = try VideoFixtures.testPattern(at: directory.appendingPathComponent("clean-\(name)"), seconds: 10,
                                                  withAudio: withAudio, keyframeInterval: 25)
        return try overwriteMediaData(of: clean, to: directory.appendingPathComponent(name), span: span)
    }

    /// The same 10 s pattern stream-copied into MPEG-TS with nine video timestamps moved back
    /// (see `rewindVideoTimestamps`): the video data is intact.
    static func rewoundPattern(in directory: URL) throws -> URL {
        let clean = try VideoFixtures.testPattern(at: directory.appendingPathComponent("clean.mp4"), seconds: 10,
                                                  withAudio: true, keyframeInterval: 25)
        let stream = directory.appendingPathComponent("clean.ts")
        try VideoFixtures.run(["-i", clean.path, "-c", "copy", "-f", "mpegts", stream.path])
        return try rewindVideoTimestamps(of: stream, to: directory.appendingPathComponent("rewound.ts"))
    }

    /// A copy of the MP4 `input` with the bytes in `span` (fractions of its `mdat` payload)
    /// overwritten with pseudo-random bytes (fixed seed), so the container stays intact and
    /// the coded video and audio there are garbage.
    @discardableResult
    static func overwriteMediaData(of input: URL, to output: URL, span: ClosedRange<Double>) throws -> URL {
        var bytes = [UInt8](try Data(contentsOf: input))
        let payload = try mediaDataPayload(bytes)
        let first = payload.lowerBound + Int(Double(payload.count) * span.lowerBound)
        let last = payload.lowerBound + Int(Double(payload.count) * span.upperBound)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for index in first..<min(last, payload.upperBound) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[index] = UInt8(truncatingIfNeeded: state >> 33)
        }
        try Data(bytes).write(to: output)
        return output
    }

    /// The byte range of the payload of the top-level `mdat` box.
    static func mediaDataPayload(_ bytes: [UInt8]) throws -> Range<Int> {
        var offset = 0
        while offset + 8 <= bytes.count {
            let size = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            if type == "mdat" { return offset + 8..<min(offset + size, bytes.count) }
            guard size >= 8 else { break }
            offset += size
        }
        throw NotFound(description: "no mdat box")
    }

    /// A copy of the MPEG-TS `input` in which every 25th video PES from the 31st on has its
    /// PTS and DTS moved `ticks` (90 kHz) back: decode times that go backwards, as a bad merge
    /// leaves them, over video data that is intact.
    @discardableResult
    static func rewindVideoTimestamps(of input: URL, to output: URL, ticks: Int64 = 36_000) throws -> URL {
        var bytes = [UInt8](try Data(contentsOf: input))
        var pesCount = 0
        for packet in stride(from: 0, to: bytes.count - 187, by: 188) where bytes[packet] == 0x47 {
            let startsPayload = bytes[packet + 1] & 0x40 != 0
            let adaptation = (bytes[packet + 3] >> 4) & 3
            guard startsPayload, adaptation & 1 != 0 else { continue }
            let pes = packet + 4 + (adaptation & 2 != 0 ? 1 + Int(bytes[packet + 4]) : 0)
            guard pes + 19 <= packet + 188, bytes[pes] == 0, bytes[pes + 1] == 0, bytes[pes + 2] == 1,
                  (0xE0...0xEF).contains(bytes[pes + 3]) else { continue }
            defer { pesCount += 1 }
            guard pesCount >= 30, pesCount % 25 == 5 else { continue }
            let flags = bytes[pes + 7] >> 6
            for field in flags == 3 ? [pes + 9, pes + 14] : (flags == 2 ? [pes + 9] : []) {
                writeTimestamp(readTimestamp(bytes, at: field) - ticks, into: &bytes, at: field)
            }
        }
        try Data(bytes).write(to: output)
        return output
    }

    /// A 33-bit PES timestamp from its 5 bytes (with marker bits).
    private static func readTimestamp(_ bytes: [UInt8], at offset: Int) -> Int64 {
        let b = bytes[offset..<offset + 5].map(Int64.init)
        return (b[0] >> 1 & 7) << 30 | b[1] << 22 | (b[2] >> 1) << 15 | b[3] << 7 | b[4] >> 1
    }

    private static func writeTimestamp(_ value: Int64, into bytes: inout [UInt8], at offset: Int) {
        bytes[offset] = bytes[offset] & 0xF0 | UInt8(value >> 29 & 0x0E) | 1
        bytes[offset + 1] = UInt8(value >> 22 & 0xFF)
        bytes[offset + 2] = UInt8(value >> 14 & 0xFE) | 1
        bytes[offset + 3] = UInt8(value >> 7 & 0xFF)
        bytes[offset + 4] = UInt8(value << 1 & 0xFE) | 1
    }
}
