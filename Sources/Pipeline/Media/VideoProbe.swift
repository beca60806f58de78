import CFFmpeg

/// Reads what the pipeline needs to know about a video file with libavformat/libavcodec.
public enum VideoProbe {
    /// Opens `path`, picks its best video stream and describes it.
    /// Throws `.fileNotFound`, `.notMedia` or `.noVideoStream` for the usual bad inputs.
    public static func probe(path: String) throws(MediaError) -> MediaInfo {
        let input = try InputFile(path: path)
        guard let videoIndex = input.bestStream(AVMEDIA_TYPE_VIDEO) else { throw .noVideoStream(path: path) }
        let average = input.averageFrameRate(stream: videoIndex)
        let base = input.baseFrameRate(stream: videoIndex)
        let coded = input.codedSize(stream: videoIndex)
        return MediaInfo(
            durationSeconds: input.durationSeconds(stream: videoIndex) ?? 0,
            frameRate: average.isValid ? average : base,
            variableFrameRateSuspected: average.isValid && base.isValid && !average.isEquivalent(to: base),
            width: coded.width,
            height: coded.height,
            rotation: clockwiseQuarterTurns(fromCounterClockwise: input.displayRotationCounterClockwise(stream: videoIndex)),
            hasAudio: input.bestStream(AVMEDIA_TYPE_AUDIO) != nil,
            videoCodec: coded.codec,
            containerFormat: input.formatName
        )
    }

    /// Decodes every packet of the best video stream and counts the frames that come out.
    /// This is the ground truth for frame indexes; container frame counts can lie.
    public static func countDecodedFrames(path: String) throws(MediaError) -> Int {
        let input = try InputFile(path: path)
        guard let videoIndex = input.bestStream(AVMEDIA_TYPE_VIDEO) else { throw .noVideoStream(path: path) }
        input.discardAll(except: [videoIndex])
        let decoder = try input.makeDecoder(stream: videoIndex)
        let packet = MediaPacket()
        let frame = MediaFrame()
        var count = 0
        func drain() throws(MediaError) {
            while true {
                switch decoder.receive(into: frame) {
                case .frame: count += 1; frame.unref()
                case .needMore: return
                case .error(let code): try MediaError.throwIfFail(code, "avcodec_receive_frame")
                }
            }
        }
        while try input.readPacket(into: packet) {
            guard packet.streamIndex == videoIndex else { continue }
            try MediaError.throwIfFail(decoder.send(packet), "avcodec_send_packet")
            try drain()
        }
        try MediaError.throwIfFail(decoder.send(nil), "avcodec_send_packet")
        try drain()
        return count
    }

    /// FFmpeg's convention (as in its CLI's autorotate): the matrix angle is counter-clockwise,
    /// the turn needed for display is its negation, snapped to a quarter turn in [0, 360).
    static func clockwiseQuarterTurns(fromCounterClockwise degrees: Double?) -> Int {
        guard let degrees else { return 0 }
        let quarter = Int((-degrees / 90).rounded())
        return ((quarter % 4) + 4) % 4 * 90
    }
}
