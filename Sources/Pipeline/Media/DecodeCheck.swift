import CFFmpeg

/// A cheap answer to "does this file decode cleanly, and if not, why?", for the best video
/// stream and the best audio stream (the ones the pipeline uses).
///
/// Two passes:
/// 1. **Demux** every packet, decoding nothing: read errors, packets the demuxer marks corrupt,
///    missing timestamps and decode timestamps that do not strictly increase, per stream, and
///    whether the packets reach the duration the container declares.
/// 2. **Decode samples**: the video and audio of `Budget.segments` short segments (the start,
///    then seeks spread evenly up to just before the end), `Budget.framesPerSegment` video
///    frames each, counting decoder errors and concealed frames. A file with no more than 1.5×
///    that many frames is decoded whole instead.
///
/// Cost: pass 1 reads the file once (I/O bound; no codec work). Pass 2 decodes at most about
/// `segments × framesPerSegment` video frames plus the audio beside them; with the defaults
/// (8 × 50) that is ~400 frames, for a 2-hour 30 fps source 0.2% of its 216,000 frames, about
/// 3 s of 1080p decoding on two cores, against ~25 minutes for a full decode. Damage that falls
/// between the segments can only be seen by pass 1 (corrupt packets, timestamps); the check
/// trades certainty for that cost on long files.
public enum DecodeCheck {
    /// How much decoding pass 2 may do.
    public struct Budget: Sendable {
        /// Segments decoded, the first at the start of the file.
        public var segments: Int
        /// Video frames decoded per segment.
        public var framesPerSegment: Int

        public init(segments: Int = 8, framesPerSegment: Int = 50) {
            self.segments = max(1, segments)
            self.framesPerSegment = max(1, framesPerSegment)
        }
    }

    /// Checks `path`. Throws `.fileNotFound`, `.notMedia` or `.noVideoStream` for files that
    /// are not videos at all, `.cancelled` when `isCancelled` returned true; damage inside a
    /// video is reported, not thrown.
    public static func run(path: String, budget: Budget = Budget(),
                           isCancelled: () -> Bool = { false }) throws(MediaError) -> DecodeReport {
        let input = try InputFile(path: path)
        guard let video = input.bestStream(AVMEDIA_TYPE_VIDEO) else { throw .noVideoStream(path: path) }
        let audio = input.bestStream(AVMEDIA_TYPE_AUDIO)
        input.discardAll(except: [video] + (audio.map { [$0] } ?? []))
        var report = DecodeReport(problems: [], packetsRead: 0, videoFramesDecoded: 0, audioFramesDecoded: 0,
                                  decodedEverything: false)
        try demuxPass(input, video: video, audio: audio, into: &report, isCancelled: isCancelled)
        try samplingPass(path: path, budget: budget, into: &report, isCancelled: isCancelled)
        return report
    }

    /// Pass 1: every packet's flags and timestamps.
    private static func demuxPass(_ input: InputFile, video: Int32, audio: Int32?, into report: inout DecodeReport,
                                  isCancelled: () -> Bool) throws(MediaError) {
        var streams: [Int32: StreamTimeline] = [video: StreamTimeline(kind: .video)]
        if let audio { streams[audio] = StreamTimeline(kind: .audio) }
        let packet = MediaPacket()
        var lastVideoSeconds: Double?
        let videoBase = input.timeBase(stream: video).doubleValue
        while true {
            if report.packetsRead % 256 == 0, isCancelled() { throw .cancelled }
            do {
                guard try input.readPacket(into: packet) else { break }
            } catch {
                if case .libav(_, _, let message) = error {
                    report.problems.append(.readError(afterPackets: report.packetsRead, message: message))
                    break
                }
                throw error
            }
            guard var timeline = streams[packet.streamIndex] else { continue }
            report.packetsRead += 1
            timeline.note(packet)
            streams[packet.streamIndex] = timeline
            if packet.streamIndex == video, let time = packet.presentationTimestamp ?? packet.decodeTimestamp {
                let end = Double(time + max(packet.duration, 0)) * videoBase
                lastVideoSeconds = max(lastVideoSeconds ?? end, end)
            }
        }
        for timeline in streams.values.sorted(by: { $0.kind.rawValue > $1.kind.rawValue }) {
            report.problems += timeline.problems
        }
        if let declared = input.durationSeconds(stream: video), declared >= 2, let last = lastVideoSeconds {
            let covered = last - (input.startSeconds(stream: video) ?? 0)
            if covered < 0.75 * declared {
                report.problems.append(.truncated(coveredSeconds: covered, declaredSeconds: declared))
            }
        }
    }

    /// Pass 2: decodes the segments (or everything, for a short file).
    private static func samplingPass(path: String, budget: Budget, into report: inout DecodeReport,
                                     isCancelled: () -> Bool) throws(MediaError) {
        let input = try InputFile(path: path)
        guard let video = input.bestStream(AVMEDIA_TYPE_VIDEO) else { throw .noVideoStream(path: path) }
        let audio = input.bestStream(AVMEDIA_TYPE_AUDIO)
        input.discardAll(except: [video] + (audio.map { [$0] } ?? []))
        var sampler = SegmentDecoder(input: input, video: video, videoDecoder: try input.makeDecoder(stream: video),
                                     audio: audio, audioDecoder: try audio.map { index throws(MediaError) in
                                         try input.makeDecoder(stream: index)
                                     })
        let rate = input.averageFrameRate(stream: video).isValid ? input.averageFrameRate(stream: video)
                                                                 : input.baseFrameRate(stream: video)
        let duration = input.durationSeconds(stream: video) ?? 0
        let sampledFrames = Double(budget.segments * budget.framesPerSegment)
        let whole = duration <= 0 || !rate.isValid || duration * rate.doubleValue <= 1.5 * sampledFrames
        report.decodedEverything = whole
        if whole {
            try sampler.decode(frames: nil, isCancelled: isCancelled)
        } else {
            // The last segment starts two segment lengths before the end, so the tail is seen.
            let segmentSeconds = Double(budget.framesPerSegment) / rate.doubleValue
            let span = max(0, duration - 2 * segmentSeconds)
            let start = input.startSeconds(stream: video) ?? 0
            for segment in 0..<budget.segments {
                if segment > 0 {
                    let offset = span * Double(segment) / Double(max(1, budget.segments - 1))
                    guard sampler.seek(toSeconds: start + offset) else { break }
                }
                try sampler.decode(frames: budget.framesPerSegment, isCancelled: isCancelled)
            }
        }
        report.videoFramesDecoded = sampler.videoFrames
        report.audioFramesDecoded = sampler.audioFrames
        if sampler.videoErrors > 0 {
            report.problems.append(.decodeErrors(.video, count: sampler.videoErrors, packetsDecoded: sampler.videoPackets))
        }
        if sampler.audioErrors > 0 {
            report.problems.append(.decodeErrors(.audio, count: sampler.audioErrors, packetsDecoded: sampler.audioPackets))
        }
        if sampler.videoFrames == 0 { report.problems.append(.noVideoFrames) }
    }
}

/// Pass 1's bookkeeping for one stream.
private struct StreamTimeline {
    let kind: DecodeProblem.Stream
    private var lastDecode: Int64?
    private var corrupt = 0
    private var backwards = 0
    private var missing = 0

    init(kind: DecodeProblem.Stream) { self.kind = kind }

    mutating func note(_ packet: MediaPacket) {
        if packet.isCorrupt { corrupt += 1 }
        guard let decode = packet.decodeTimestamp else {
            if packet.presentationTimestamp == nil { missing += 1 }
            return
        }
        if let lastDecode, decode <= lastDecode { backwards += 1 }
        lastDecode = decode
    }

    var problems: [DecodeProblem] {
        var found: [DecodeProblem] = []
        if corrupt > 0 { found.append(.corruptPackets(kind, count: corrupt)) }
        if backwards > 0 { found.append(.nonMonotonicTimestamps(kind, count: backwards)) }
        if missing > 0 { found.append(.missingTimestamps(kind, count: missing)) }
        return found
    }
}
