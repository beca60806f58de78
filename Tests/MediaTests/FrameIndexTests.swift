import Foundation
@testable import Media
import Testing

/// The frame index's file form: what the builder writes reads back; a damaged entry is an
/// error, never a range that traps when the frame is fetched.
@Suite struct FrameIndexTests {
    static let header = FrameIndex.Header(codec: "h264", width: 320, height: 180, pixelFormat: 0, timeBase: [1, 25],
                                          frameRate: [25, 1], extradata: Data([1, 2, 3]))

    @Test func anIndexReadsBackAsWritten() throws {
        let index = FrameIndex(header: Self.header, entries: [.init(offset: 48, size: 1000, pts: 0), .init(offset: 1048, size: 900, pts: 1)])
        #expect(try FrameIndex(decoding: try index.encoded()) == index)
    }

    @Test(arguments: [(Int64(48), Int32(-5)), (Int64(48), Int32(0)), (Int64(-1), Int32(10)), (Int64.max - 3, Int32(10))])
    func aDamagedEntryIsRefusedWithItsFrame(offset: Int64, size: Int32) throws {
        let index = FrameIndex(header: Self.header, entries: [.init(offset: 0, size: 48, pts: 0), .init(offset: offset, size: size, pts: 1)])
        #expect {
            _ = try FrameIndex(decoding: try index.encoded())
        } throws: { error in
            "\(error)".contains("frame 1 has offset \(offset) and size \(size)")
        }
    }

    @Test func truncatedOrForeignBytesAreRefused() throws {
        let data = try FrameIndex(header: Self.header, entries: [.init(offset: 0, size: 48, pts: 0)]).encoded()
        #expect(throws: MediaError.self) { _ = try FrameIndex(decoding: data.dropLast(3)) }
        #expect(throws: MediaError.self) { _ = try FrameIndex(decoding: Data("not an index".utf8)) }
    }
}
