/// Makes one stream's packet timestamps acceptable to MP4 during a re-mux, as the ffmpeg CLI
/// does when it copies streams: every packet gets a decode time, decode times strictly
/// increase, and no packet is presented before it is decoded.
///
/// A missing decode time is taken from the presentation time, or else placed one packet
/// duration after the previous one; a decode time that does not move forward is moved to
/// one tick after the previous; a presentation time that is missing or earlier than the
/// decode time becomes the decode time. Timestamps that are already fine pass unchanged.
struct TimestampRepair {
    private var lastDecode: Int64?
    /// Packets whose timestamps were changed.
    private(set) var repaired = 0

    mutating func fix(presentation: Int64?, decode: Int64?, duration: Int64) -> (presentation: Int64, decode: Int64) {
        var fixedDecode = decode ?? presentation ?? lastDecode.map { $0 + max(duration, 1) } ?? 0
        if let lastDecode, fixedDecode <= lastDecode { fixedDecode = lastDecode + 1 }
        let fixedPresentation = max(presentation ?? fixedDecode, fixedDecode)
        if fixedDecode != decode || fixedPresentation != presentation { repaired += 1 }
        lastDecode = fixedDecode
        return (fixedPresentation, fixedDecode)
    }
}
