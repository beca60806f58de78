import CFFmpeg

/// How many corrupt video packets a full decoding pass forgives. Like the ffmpeg CLI, an
/// isolated corrupt packet is skipped; a stream that is mostly corrupt (more than 10 packets
/// and more than 5 % of those read), or running out of memory, fails the pass.
struct CorruptPacketTolerance {
    let path: String
    /// Video packets read so far (the caller counts them).
    var packets = 0
    private(set) var errors = 0
    private(set) var firstError: Int32 = 0

    init(path: String) { self.path = path }

    /// Records a decoder failure with libav's `code`; throws once the stream is past saving.
    mutating func note(_ code: Int32) throws(MediaError) {
        if code == heaters_AVERROR(ENOMEM) { try MediaError.throwIfFail(code, "decoding \(path)") }
        errors += 1
        if errors == 1 { firstError = code }
        if errors > max(10, packets / 20) {
            throw .undecodable(path: path, reason: "\(errors) corrupt video packets of \(packets) "
                               + "(first: \(MediaError.message(for: firstError)))")
        }
    }
}
