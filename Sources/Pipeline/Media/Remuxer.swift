import CFFmpeg

/// Normalization step 1: copies the best video stream and the best audio stream, packet
/// for packet, into a new MP4 with its index up front (`+faststart`), mending timestamps on the
/// way (`TimestampRepair`, after the demuxer has filled in missing presentation times). No
/// codec work, so it costs about one read and one write of the file. It cannot mend damaged
/// coded data; `Reencoder` is the step for that.
enum Remuxer {
    /// Writes `output` from `input`. Throws `.cancelled` when `isCancelled` returned true, and
    /// `.libav` for a read error, a codec MP4 cannot hold, or a failed write. Returns how many
    /// packets needed new timestamps.
    @discardableResult
    static func run(input path: String, output: String, progress: (Double) -> Void = { _ in },
                    isCancelled: () -> Bool = { false }) throws(MediaError) -> Int {
        let input = try InputFile(path: path)
        input.generateMissingPresentationTimes()
        guard let video = input.bestStream(AVMEDIA_TYPE_VIDEO) else { throw .noVideoStream(path: path) }
        let kept = [video] + (input.bestStream(AVMEDIA_TYPE_AUDIO).map { [$0] } ?? [])
        input.discardAll(except: kept)

        let file = try OutputFile(path: output, format: "mp4")
        var outputIndex: [Int32: Int32] = [:]
        for index in kept { outputIndex[index] = try file.addStream(copying: index, of: input) }
        try file.writeHeader(options: [("movflags", "+faststart")])

        var repairs = Dictionary(uniqueKeysWithValues: kept.map { ($0, TimestampRepair()) })
        let duration = input.durationSeconds(stream: video) ?? 0
        let videoBase = input.timeBase(stream: video).doubleValue
        let start = input.startSeconds(stream: video) ?? 0
        let packet = MediaPacket()
        var packets = 0
        var lastReported = 0.0
        while try input.readPacket(into: packet) {
            guard let target = outputIndex[packet.streamIndex], var repair = repairs[packet.streamIndex] else { continue }
            packets += 1
            if packets % 64 == 0, isCancelled() { throw .cancelled }
            if packet.streamIndex == video, duration > 0, let time = packet.decodeTimestamp {
                let fraction = min(max((Double(time) * videoBase - start) / duration, 0), 1)
                if fraction - lastReported >= 0.01 {
                    lastReported = fraction
                    progress(fraction)
                }
            }
            // Mend in the output's time base: a coarser one could merge two distinct times.
            packet.rescaleTimestamps(from: input.timeBase(stream: packet.streamIndex), to: file.timeBase(stream: target))
            let fixed = repair.fix(presentation: packet.presentationTimestamp, decode: packet.decodeTimestamp,
                                   duration: packet.duration)
            repairs[packet.streamIndex] = repair
            packet.setTimestamps(presentation: fixed.presentation, decode: fixed.decode)
            try file.write(packet, into: target)
        }
        try file.finish()
        progress(1)
        return repairs.values.reduce(0) { $0 + $1.repaired }
    }
}
