import CFFmpeg

/// Reads what the pipeline needs to know about a video file with libavformat/libavcodec.
public enum VideoProbe {
    /// Opens `path`, picks its best video stream and describes it.
    /// Throws `.fileNotFound`, `.notMedia` or `.noVideoStream` for the usual bad inputs.
    public static func probe(path: String) throws(MediaError) -> MediaInfo {
        let input = try FormatContext(path: path)
        guard let videoIndex = input.bestStream(AVMEDIA_TYPE_VIDEO) else { throw .noVideoStream(path: path) }
        let video = input.stream(at: videoIndex)

        let average = video.averageFrameRate
        let base = video.baseFrameRate
        return MediaInfo(
            durationSeconds: video.durationSeconds ?? input.durationSeconds ?? 0,
            frameRate: average.isValid ? average : base,
            variableFrameRateSuspected: average.isValid && base.isValid && !average.isEquivalent(to: base),
            width: video.width,
            height: video.height,
            rotation: clockwiseQuarterTurns(fromCounterClockwise: video.displayRotationCounterClockwise),
            hasAudio: input.bestStream(AVMEDIA_TYPE_AUDIO) != nil,
            videoCodec: video.codecName,
            containerFormat: input.formatName
        )
    }

    /// Decodes every packet of the best video stream and counts the frames that come out.
    /// This is the ground truth for frame indexes; container frame counts can lie.
    public static func countDecodedFrames(path: String) throws(MediaError) -> Int {
        let input = try FormatContext(path: path)
        guard let videoIndex = input.bestStream(AVMEDIA_TYPE_VIDEO) else { throw .noVideoStream(path: path) }
        let decoder = try input.makeDecoder(stream: videoIndex)
        let packet = Packet()
        let frame = Frame()
        var count = 0

        while try input.readPacket(into: packet) {
            guard packet.streamIndex == videoIndex else { continue }
            try decoder.send(packet)
            while try decoder.receive(into: frame) {
                count += 1
                frame.unref()
            }
        }
        try decoder.send(nil)
        while try decoder.receive(into: frame) {
            count += 1
            frame.unref()
        }
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
