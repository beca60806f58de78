import CFFmpeg
import Foundation

/// Owns an `AVPacket`.
final class MediaPacket {
    let pointer: UnsafeMutablePointer<AVPacket>

    init() {
        guard let packet = av_packet_alloc() else { fatalError("av_packet_alloc: out of memory") }
        pointer = packet
    }

    deinit {
        var doomed: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&doomed)
    }

    var streamIndex: Int32 { pointer.pointee.stream_index }
    func unref() { av_packet_unref(pointer) }

    /// Decode time in the stream's time base; nil when the container gave none.
    var decodeTimestamp: Int64? {
        let value = pointer.pointee.dts
        return value == heaters_AV_NOPTS_VALUE() ? nil : value
    }

    /// Presentation time in the stream's time base; nil when the container gave none.
    var presentationTimestamp: Int64? {
        let value = pointer.pointee.pts
        return value == heaters_AV_NOPTS_VALUE() ? nil : value
    }

    /// The packet's duration in the stream's time base (0 when unknown).
    var duration: Int64 { pointer.pointee.duration }

    /// Replaces both timestamps (nil leaves one unset).
    func setTimestamps(presentation: Int64?, decode: Int64?) {
        pointer.pointee.pts = presentation ?? heaters_AV_NOPTS_VALUE()
        pointer.pointee.dts = decode ?? heaters_AV_NOPTS_VALUE()
    }

    /// Converts the timestamps and duration from one time base to another.
    func rescaleTimestamps(from source: Rational, to destination: Rational) {
        av_packet_rescale_ts(pointer, AVRational(num: source.numerator, den: source.denominator),
                             AVRational(num: destination.numerator, den: destination.denominator))
    }

    /// The packet's byte offset in its file (-1 when the container does not say).
    var position: Int64 { pointer.pointee.pos }

    /// The packet's size in bytes.
    var size: Int32 { pointer.pointee.size }

    /// Makes this packet hold a copy of `bytes`, flagged as a key frame (a packet read
    /// through a frame index, to be decoded alone).
    func fill(keyFrame bytes: Data) throws(MediaError) {
        av_packet_unref(pointer)
        try MediaError.throwIfFail(av_new_packet(pointer, Int32(bytes.count)), "av_new_packet")
        bytes.copyBytes(to: pointer.pointee.data, count: bytes.count)
        pointer.pointee.flags |= AV_PKT_FLAG_KEY
    }

    var isKeyFrame: Bool { pointer.pointee.flags & AV_PKT_FLAG_KEY != 0 }

    /// The demuxer marked the packet as damaged (a checksum or framing error it noticed).
    var isCorrupt: Bool { pointer.pointee.flags & AV_PKT_FLAG_CORRUPT != 0 }
}
