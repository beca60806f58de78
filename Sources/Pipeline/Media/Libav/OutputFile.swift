#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFFmpeg

/// Owns an output `AVFormatContext` and its file.
final class OutputFile {
    private let pointer: UnsafeMutablePointer<AVFormatContext>
    private var encoders: [MediaEncoder] = []
    private var headerWritten = false
    private var finished = false
    let path: String

    init(path: String, format: String) throws(MediaError) {
        var context: UnsafeMutablePointer<AVFormatContext>?
        try MediaError.throwIfFail(avformat_alloc_output_context2(&context, nil, format, path),
                                   "avformat_alloc_output_context2(\(format))")
        guard let context else {
            throw .libav(operation: "avformat_alloc_output_context2(\(format))", code: heaters_AVERROR(ENOMEM),
                         message: MediaError.message(for: heaters_AVERROR(ENOMEM)))
        }
        self.pointer = context
        self.path = path
    }

    deinit {
        if pointer.pointee.pb != nil { avio_closep(&pointer.pointee.pb) }
        avformat_free_context(pointer)
    }

    /// Whether encoders for this container must put codec headers in extradata.
    var wantsGlobalHeader: Bool { pointer.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 }

    /// Adds a stream carrying `encoder`'s packets; returns its index.
    @discardableResult
    func addStream(for encoder: MediaEncoder) throws(MediaError) -> Int32 {
        guard let stream = avformat_new_stream(pointer, nil) else {
            throw .libav(operation: "avformat_new_stream", code: heaters_AVERROR(ENOMEM),
                         message: MediaError.message(for: heaters_AVERROR(ENOMEM)))
        }
        try MediaError.throwIfFail(avcodec_parameters_from_context(stream.pointee.codecpar, encoder.context),
                                   "avcodec_parameters_from_context")
        stream.pointee.time_base = encoder.context.pointee.time_base
        stream.pointee.avg_frame_rate = encoder.context.pointee.framerate
        stream.pointee.r_frame_rate = encoder.context.pointee.framerate
        encoders.append(encoder)
        return stream.pointee.index
    }

    /// Sets a metadata tag of stream `index` (written with the header).
    func setTag(stream index: Int32, _ key: String, _ value: String) {
        av_dict_set(&pointer.pointee.streams[Int(index)]!.pointee.metadata, key, value, 0)
    }

    /// Adds a stream that carries stream `index` of `input` unchanged (no re-encoding), with
    /// its side data (the display matrix, so rotation survives); throws when this container
    /// cannot hold the codec. Returns the new stream's index.
    @discardableResult
    func addStream(copying index: Int32, of input: InputFile) throws(MediaError) -> Int32 {
        let source = input.stream(index)
        let parameters = source.pointee.codecpar!
        let codecName = String(cString: avcodec_get_name(parameters.pointee.codec_id))
        guard avformat_query_codec(pointer.pointee.oformat, parameters.pointee.codec_id, FF_COMPLIANCE_NORMAL) == 1 else {
            throw .libav(operation: "copying the \(codecName) stream into \(path)", code: heaters_AVERROR(EINVAL),
                         message: "\(String(cString: pointer.pointee.oformat.pointee.name)) cannot hold \(codecName)")
        }
        guard let stream = avformat_new_stream(pointer, nil) else {
            throw .libav(operation: "avformat_new_stream", code: heaters_AVERROR(ENOMEM),
                         message: MediaError.message(for: heaters_AVERROR(ENOMEM)))
        }
        try MediaError.throwIfFail(avcodec_parameters_copy(stream.pointee.codecpar, parameters), "avcodec_parameters_copy")
        // A codec tag belongs to the container it came from; the muxer picks its own.
        stream.pointee.codecpar.pointee.codec_tag = 0
        stream.pointee.time_base = source.pointee.time_base
        stream.pointee.avg_frame_rate = source.pointee.avg_frame_rate
        stream.pointee.r_frame_rate = source.pointee.r_frame_rate
        stream.pointee.sample_aspect_ratio = source.pointee.sample_aspect_ratio
        stream.pointee.disposition = source.pointee.disposition
        try copySideData(from: source, to: stream)
        return stream.pointee.index
    }

    /// Gives output stream `index` the side data of stream `source` of `input` (the display
    /// matrix above all, so a re-encoded phone video still plays upright).
    func copySideData(of source: Int32, in input: InputFile, to index: Int32) throws(MediaError) {
        try copySideData(from: input.stream(source), to: pointer.pointee.streams[Int(index)]!)
    }

    private func copySideData(from source: UnsafeMutablePointer<AVStream>, to stream: UnsafeMutablePointer<AVStream>) throws(MediaError) {
        for item in 0..<Int(source.pointee.nb_side_data) {
            let data = source.pointee.side_data[item]
            guard let copy = av_stream_new_side_data(stream, data.type, data.size) else {
                throw .libav(operation: "av_stream_new_side_data", code: heaters_AVERROR(ENOMEM),
                             message: MediaError.message(for: heaters_AVERROR(ENOMEM)))
            }
            copy.update(from: data.data, count: data.size)
        }
    }

    /// Stream `index`'s time base; the muxer may change it when the header is written.
    func timeBase(stream index: Int32) -> Rational {
        let base = pointer.pointee.streams[Int(index)]!.pointee.time_base
        return Rational(base.num, base.den)
    }

    /// Writes a packet already in stream `index`'s time base (see `timeBase(stream:)`).
    func write(_ packet: MediaPacket, into index: Int32) throws(MediaError) {
        packet.pointer.pointee.stream_index = index
        packet.pointer.pointee.pos = -1
        // Takes ownership of the packet's data and leaves it blank.
        try MediaError.throwIfFail(av_interleaved_write_frame(pointer, packet.pointer), "writing \(path)")
    }

    /// Creates the file and writes the container header with muxer `options` (e.g. movflags).
    func writeHeader(options: [(String, String)] = []) throws(MediaError) {
        try MediaError.throwIfFail(avio_open(&pointer.pointee.pb, path, AVIO_FLAG_WRITE), "creating \(path)")
        var dictionary: OpaquePointer?
        defer { av_dict_free(&dictionary) }
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        try MediaError.throwIfFail(avformat_write_header(pointer, &dictionary), "writing the header of \(path)")
        if let unused = av_dict_get(dictionary, "", nil, AV_DICT_IGNORE_SUFFIX) {
            throw .libav(operation: "writing the header of \(path)", code: heaters_AVERROR(EINVAL),
                         message: "muxer option \(String(cString: unused.pointee.key)) not recognised")
        }
        headerWritten = true
    }

    /// Writes every packet `encoder` has ready into stream `index`.
    func drain(_ encoder: MediaEncoder, into index: Int32, using packet: MediaPacket) throws(MediaError) {
        let streamBase = pointer.pointee.streams[Int(index)]!.pointee.time_base
        while try encoder.receive(into: packet) {
            av_packet_rescale_ts(packet.pointer, encoder.context.pointee.time_base, streamBase)
            packet.pointer.pointee.stream_index = index
            // Takes ownership of the packet's data and leaves it blank.
            try MediaError.throwIfFail(av_interleaved_write_frame(pointer, packet.pointer), "writing \(path)")
        }
    }

    /// Writes the trailer (for MP4 with faststart, moves the index to the front) and closes.
    func finish() throws(MediaError) {
        guard headerWritten, !finished else { return }
        finished = true
        try MediaError.throwIfFail(av_write_trailer(pointer), "finishing \(path)")
        try MediaError.throwIfFail(avio_closep(&pointer.pointee.pb), "closing \(path)")
    }
}
