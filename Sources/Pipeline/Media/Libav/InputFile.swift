#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFFmpeg

/// Owns an input `AVFormatContext`, opened with its stream info read.
final class InputFile {
    private let pointer: UnsafeMutablePointer<AVFormatContext>
    let path: String

    init(path: String) throws(MediaError) {
        var context: UnsafeMutablePointer<AVFormatContext>?
        let opened = avformat_open_input(&context, path, nil, nil)
        if opened == heaters_AVERROR(ENOENT) { throw .fileNotFound(path: path) }
        guard opened >= 0, let context else {
            throw .notMedia(path: path, reason: MediaError.message(for: opened))
        }
        self.pointer = context
        self.path = path
        let found = avformat_find_stream_info(context, nil)
        guard found >= 0 else { throw .notMedia(path: path, reason: MediaError.message(for: found)) }
    }

    deinit {
        var doomed: UnsafeMutablePointer<AVFormatContext>? = pointer
        avformat_close_input(&doomed)
    }

    func bestStream(_ type: AVMediaType) -> Int32? {
        let index = av_find_best_stream(pointer, type, -1, -1, nil, 0)
        return index >= 0 ? index : nil
    }

    /// True when stream `index` is a picture rather than a video: cover art attached to an
    /// audio file, or the only stream of an image file (image2, png_pipe, jpeg_pipe, …).
    func isStillImage(stream index: Int32) -> Bool {
        let stream = pointer.pointee.streams[Int(index)]!.pointee
        if stream.disposition & AV_DISPOSITION_ATTACHED_PIC != 0 { return true }
        let name = String(cString: pointer.pointee.iformat.pointee.name)
        return name == "image2" || name.hasSuffix("_pipe")
    }

    /// Tells the demuxer to skip every stream but `keep`, so their packets are never read.
    func discardAll(except keep: [Int32]) {
        for index in 0..<Int(pointer.pointee.nb_streams) where !keep.contains(Int32(index)) {
            pointer.pointee.streams[index]!.pointee.discard = AVDISCARD_ALL
        }
    }

    func averageFrameRate(stream index: Int32) -> Rational {
        let rate = pointer.pointee.streams[Int(index)]!.pointee.avg_frame_rate
        return Rational(rate.num, rate.den)
    }

    func baseFrameRate(stream index: Int32) -> Rational {
        let rate = pointer.pointee.streams[Int(index)]!.pointee.r_frame_rate
        return Rational(rate.num, rate.den)
    }

    func timeBase(stream index: Int32) -> Rational {
        let base = pointer.pointee.streams[Int(index)]!.pointee.time_base
        return Rational(base.num, base.den)
    }

    /// The stream's duration in seconds, else the container's, if either is declared.
    func durationSeconds(stream index: Int32) -> Double? {
        let stream = pointer.pointee.streams[Int(index)]!.pointee
        if stream.duration != heaters_AV_NOPTS_VALUE(), stream.duration > 0 {
            return Double(stream.duration) * av_q2d(stream.time_base)
        }
        let duration = pointer.pointee.duration
        guard duration != heaters_AV_NOPTS_VALUE(), duration > 0 else { return nil }
        return Double(duration) / Double(AV_TIME_BASE)
    }

    /// The start timecode the file declares ("01:00:00:00", "00:59:59;29"): the video stream's
    /// `timecode` tag (MOV/MP4 copy it there from their tmcd track), else the container's (MXF,
    /// Matroska), else any stream's (a tmcd data stream). nil when none has one.
    func startTimecode(videoStream index: Int32) -> String? {
        func tag(_ dictionary: OpaquePointer?) -> String? {
            guard let dictionary, let entry = av_dict_get(dictionary, "timecode", nil, 0), let value = entry.pointee.value else { return nil }
            let text = String(cString: value).filter { $0 != " " }
            return text.isEmpty ? nil : text
        }
        if let own = tag(pointer.pointee.streams[Int(index)]!.pointee.metadata) { return own }
        if let container = tag(pointer.pointee.metadata) { return container }
        for other in 0..<Int(pointer.pointee.nb_streams) {
            if let found = tag(pointer.pointee.streams[other]!.pointee.metadata) { return found }
        }
        return nil
    }

    /// The stream's first presentation time in seconds, if declared.
    func startSeconds(stream index: Int32) -> Double? {
        let stream = pointer.pointee.streams[Int(index)]!.pointee
        guard stream.start_time != heaters_AV_NOPTS_VALUE() else { return nil }
        return Double(stream.start_time) * av_q2d(stream.time_base)
    }

    /// Reads the next packet of a kept stream; false at end of file.
    func readPacket(into packet: MediaPacket) throws(MediaError) -> Bool {
        packet.unref()
        let read = av_read_frame(pointer, packet.pointer)
        if read == heaters_AVERROR_EOF() { return false }
        try MediaError.throwIfFail(read, "reading \(path)")
        return true
    }

    /// libav's name of the container format.
    var formatName: String { String(cString: pointer.pointee.iformat.pointee.name) }

    /// The coded width, height and codec name of stream `index`.
    func codedSize(stream index: Int32) -> (width: Int, height: Int, codec: String) {
        let parameters = pointer.pointee.streams[Int(index)]!.pointee.codecpar.pointee
        return (Int(parameters.width), Int(parameters.height), String(cString: avcodec_get_name(parameters.codec_id)))
    }

    /// The pixel format (an AVPixelFormat number) and the codec's extradata of stream
    /// `index`: what a decoder needs besides the codec and size.
    func decoderSetup(stream index: Int32) -> (pixelFormat: Int32, extradata: [UInt8]) {
        let parameters = pointer.pointee.streams[Int(index)]!.pointee.codecpar.pointee
        let extradata = parameters.extradata.map { Array(UnsafeBufferPointer(start: $0, count: Int(parameters.extradata_size))) }
        return (parameters.format, extradata ?? [])
    }

    /// av_display_rotation_get's angle (counter-clockwise) for stream `index`; nil without
    /// a display matrix.
    func displayRotationCounterClockwise(stream index: Int32) -> Double? {
        var degrees = 0.0
        return heaters_stream_display_rotation(pointer.pointee.streams[Int(index)]!, &degrees) == 1 ? degrees : nil
    }

    /// libav's media type of stream `index` (video, audio, subtitle, data, …).
    func mediaType(stream index: Int32) -> AVMediaType {
        pointer.pointee.streams[Int(index)]!.pointee.codecpar.pointee.codec_type
    }

    /// Asks the demuxer to fill in presentation times a container left out (from decode
    /// times and frame order), as the ffmpeg CLI's `-fflags +genpts` does. Call before reading.
    func generateMissingPresentationTimes() {
        pointer.pointee.flags |= AVFMT_FLAG_GENPTS
    }

    /// Moves to the last key frame of stream `index` at or before `seconds` (stream time);
    /// false when the container cannot seek there. Decoders must be flushed afterwards.
    func seek(stream index: Int32, toSeconds seconds: Double) -> Bool {
        let base = pointer.pointee.streams[Int(index)]!.pointee.time_base
        guard base.num > 0, base.den > 0 else { return false }
        let timestamp = Int64((seconds * Double(base.den) / Double(base.num)).rounded(.down))
        return av_seek_frame(pointer, index, timestamp, AVSEEK_FLAG_BACKWARD) >= 0
    }

    /// True when every frame of stream `index`'s codec is coded alone (FFV1, ProRes, …), so a
    /// frame can be skipped without decoding it and decoding can start at any packet.
    func isIntraOnly(stream index: Int32) -> Bool {
        let codec = pointer.pointee.streams[Int(index)]!.pointee.codecpar.pointee.codec_id
        guard let descriptor = avcodec_descriptor_get(codec) else { return false }
        return descriptor.pointee.props & AV_CODEC_PROP_INTRA_ONLY != 0
    }

    func stream(_ index: Int32) -> UnsafeMutablePointer<AVStream> {
        pointer.pointee.streams[Int(index)]!
    }

    func makeDecoder(stream index: Int32) throws(MediaError) -> MediaDecoder {
        let stream = pointer.pointee.streams[Int(index)]!
        return try MediaDecoder(parameters: stream.pointee.codecpar, timeBase: stream.pointee.time_base)
    }
}
