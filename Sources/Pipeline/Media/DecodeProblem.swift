/// One way a media file fails to decode cleanly, as `DecodeCheck` finds it.
public enum DecodeProblem: Sendable, Equatable, CustomStringConvertible {
    /// Which of the checked streams a problem is about.
    public enum Stream: String, Sendable {
        case video, audio
    }

    /// The demuxer stopped with an error before the end of the file.
    case readError(afterPackets: Int, message: String)
    /// Packets the demuxer itself marked as damaged.
    case corruptPackets(Stream, count: Int)
    /// Decode timestamps that do not strictly increase (MP4 and most players require that).
    case nonMonotonicTimestamps(Stream, count: Int)
    /// Packets with no timestamp at all.
    case missingTimestamps(Stream, count: Int)
    /// Decoder failures, and frames the decoder had to conceal, among the packets decoded.
    case decodeErrors(Stream, count: Int, packetsDecoded: Int)
    /// The packets end well before the duration the container declares.
    case truncated(coveredSeconds: Double, declaredSeconds: Double)
    /// Not a single video frame came out of the decoder.
    case noVideoFrames

    public var description: String {
        switch self {
        case .readError(let packets, let message):
            "reading stopped after \(packets) packets: \(message)"
        case .corruptPackets(let stream, let count):
            "\(count) \(stream) packet\(count == 1 ? " is" : "s are") marked corrupt"
        case .nonMonotonicTimestamps(let stream, let count):
            "the \(stream) decode timestamps go backwards \(count) time\(count == 1 ? "" : "s")"
        case .missingTimestamps(let stream, let count):
            "\(count) \(stream) packet\(count == 1 ? " has" : "s have") no timestamp"
        case .decodeErrors(let stream, let count, let packets):
            "\(count) \(stream) decoding error\(count == 1 ? "" : "s") in \(packets) packets decoded"
        case .truncated(let covered, let declared):
            "the packets cover only \(Int(covered.rounded())) s of the declared \(Int(declared.rounded())) s"
        case .noVideoFrames:
            "no video frame could be decoded"
        }
    }
}

/// What `DecodeCheck` found in one file, and how much work finding it took.
public struct DecodeReport: Sendable, Equatable {
    /// Empty when the file decodes cleanly.
    public var problems: [DecodeProblem]
    /// Packets of the checked streams read by the demux pass (every packet of the file).
    public var packetsRead: Int
    /// Video frames decoded by the sampling pass (all of them when `decodedEverything`).
    public var videoFramesDecoded: Int
    /// Audio frames decoded by the sampling pass.
    public var audioFramesDecoded: Int
    /// True when the file was short enough to decode whole instead of sampling segments.
    public var decodedEverything: Bool

    public var isClean: Bool { problems.isEmpty }

    /// The problems in one line, for a job result or an error message.
    public var summary: String {
        problems.isEmpty ? "decodes cleanly" : problems.map(\.description).joined(separator: "; ")
    }
}
