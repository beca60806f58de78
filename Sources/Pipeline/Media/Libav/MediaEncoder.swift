#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFFmpeg

/// Owns an opened encoder `AVCodecContext`.
final class MediaEncoder {
    private let pointer: UnsafeMutablePointer<AVCodecContext>
    private let scratch = MediaFrame()
    let name: String

    private init(codec: UnsafePointer<AVCodec>, name: String) throws(MediaError) {
        guard let context = avcodec_alloc_context3(codec) else {
            throw .libav(operation: "avcodec_alloc_context3", code: heaters_AVERROR(ENOMEM),
                         message: MediaError.message(for: heaters_AVERROR(ENOMEM)))
        }
        self.pointer = context
        self.name = name
    }

    deinit {
        var doomed: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&doomed)
    }

    private static func find(_ name: String) throws(MediaError) -> UnsafePointer<AVCodec> {
        guard let codec = avcodec_find_encoder_by_name(name) else {
            throw .libav(operation: "avcodec_find_encoder_by_name(\(name))", code: heaters_AVERROR(ENOSYS),
                         message: "this libavcodec has no \(name) encoder")
        }
        return codec
    }

    /// Opens the codec with `options`; an option the encoder did not recognise is an error.
    private func open(options: [(String, String)]) throws(MediaError) {
        var dictionary: OpaquePointer?
        defer { av_dict_free(&dictionary) }
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        try MediaError.throwIfFail(avcodec_open2(pointer, pointer.pointee.codec, &dictionary), "opening the \(name) encoder")
        if let unused = av_dict_get(dictionary, "", nil, AV_DICT_IGNORE_SUFFIX) {
            throw .libav(operation: "opening the \(name) encoder", code: heaters_AVERROR(EINVAL),
                         message: "option \(String(cString: unused.pointee.key)) not recognised")
        }
    }

    private func applyVideo(_ format: VideoFormat, frameRate: Rational, globalHeader: Bool) {
        let c = pointer
        c.pointee.width = format.width
        c.pointee.height = format.height
        c.pointee.time_base = AVRational(num: frameRate.denominator, den: frameRate.numerator)
        c.pointee.framerate = AVRational(num: frameRate.numerator, den: frameRate.denominator)
        c.pointee.color_range = format.colorRange
        c.pointee.colorspace = format.colorSpace
        c.pointee.color_primaries = format.colorPrimaries
        c.pointee.color_trc = format.colorTransfer
        c.pointee.chroma_sample_location = format.chromaLocation
        c.pointee.thread_count = 0
        if globalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
    }

    /// The pixel format FFV1 will store for `source`: the same one when FFV1 supports it
    /// (lossless), else libav's least lossy choice among FFV1's formats.
    static func ffv1PixelFormat(for source: AVPixelFormat) throws(MediaError) -> AVPixelFormat {
        let codec = try find("ffv1")
        guard let formats = codec.pointee.pix_fmts else { return source }
        var index = 0
        while formats[index] != AV_PIX_FMT_NONE {
            if formats[index] == source { return source }
            index += 1
        }
        let best = avcodec_find_best_pix_fmt_of_list(formats, source, 0, nil)
        guard best != AV_PIX_FMT_NONE else {
            throw .libav(operation: "choosing an FFV1 pixel format", code: heaters_AVERROR(EINVAL),
                         message: "no FFV1 format for \(pixelFormatName(source))")
        }
        return best
    }

    /// FFV1 version 3 (slices with CRCs), every frame self-contained (GOP 1, as archives use).
    static func ffv1(_ format: VideoFormat, frameRate: Rational, globalHeader: Bool) throws(MediaError) -> MediaEncoder {
        let encoder = try MediaEncoder(codec: try find("ffv1"), name: "ffv1")
        encoder.applyVideo(format, frameRate: frameRate, globalHeader: globalHeader)
        let c = encoder.pointer
        c.pointee.pix_fmt = format.pixelFormat
        c.pointee.sample_aspect_ratio = format.sampleAspectRatio
        c.pointee.level = 3
        c.pointee.gop_size = 1
        try encoder.open(options: [("slicecrc", "1")])
        return encoder
    }

    /// libx264, all intra (GOP 1 and keyint=1 in x264's own options), yuv420p.
    static func x264(width: Int32, height: Int32, source: VideoFormat, frameRate: Rational, crf: Int,
                     preset: String, globalHeader: Bool) throws(MediaError) -> MediaEncoder {
        let encoder = try MediaEncoder(codec: try find("libx264"), name: "libx264")
        var format = yuv420pFormat(source)
        format.width = width
        format.height = height
        encoder.applyVideo(format, frameRate: frameRate, globalHeader: globalHeader)
        let c = encoder.pointer
        c.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        c.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
        c.pointee.gop_size = 1
        c.pointee.keyint_min = 1
        c.pointee.max_b_frames = 0
        try encoder.open(options: [
            ("preset", preset), ("crf", "\(crf)"),
            ("x264-params", "keyint=1:min-keyint=1:scenecut=0"),
        ])
        return encoder
    }

    /// `source` as a yuv420p encoder sees it: swscale converts full-range yuvj* input to
    /// limited range, so the stream must say limited.
    private static func yuv420pFormat(_ source: VideoFormat) -> VideoFormat {
        var format = source
        if pixelFormatName(source.pixelFormat).hasPrefix("yuvj") { format.colorRange = AVCOL_RANGE_MPEG }
        return format
    }

    /// libx264 at the source's size and pixel aspect for an ordinary playable copy: x264's own
    /// GOP structure (key frames at most 250 frames apart, B-frames), yuv420p, and the source
    /// stream's `timeBase`, so frames keep their own (possibly variable) timing. `crf` 0 means
    /// lossless, which x264 spells qp 0 (its lossless crf differs between 8- and 10-bit builds).
    static func x264(_ source: VideoFormat, frameRate: Rational, timeBase: Rational, crf: Int, preset: String,
                     globalHeader: Bool) throws(MediaError) -> MediaEncoder {
        let encoder = try MediaEncoder(codec: try find("libx264"), name: "libx264")
        encoder.applyVideo(yuv420pFormat(source), frameRate: frameRate, globalHeader: globalHeader)
        let c = encoder.pointer
        c.pointee.time_base = AVRational(num: timeBase.numerator, den: timeBase.denominator)
        c.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        c.pointee.sample_aspect_ratio = source.sampleAspectRatio
        try encoder.open(options: [("preset", preset), crf == 0 ? ("qp", "0") : ("crf", "\(crf)")])
        return encoder
    }

    /// libavcodec's MJPEG encoder for one still: yuvj420p frames (4:2:0 in JPEG's full range,
    /// holding BT.601 YCbCr, what JFIF decoders assume), `sampleAspectRatio` in the JFIF
    /// header, and the fixed quantiser `qscale`, 1 (best) ... 31 (smallest), as ffmpeg's `-q:v`.
    static func mjpeg(width: Int32, height: Int32, sampleAspectRatio: AVRational, qscale: Int) throws(MediaError) -> MediaEncoder {
        let encoder = try MediaEncoder(codec: try find("mjpeg"), name: "mjpeg")
        let c = encoder.pointer
        c.pointee.width = width
        c.pointee.height = height
        c.pointee.pix_fmt = AV_PIX_FMT_YUVJ420P
        c.pointee.color_range = AVCOL_RANGE_JPEG
        c.pointee.colorspace = AVCOL_SPC_BT470BG
        // The JFIF header (which says the samples are YCbCr) is only written with an aspect.
        let square = AVRational(num: 1, den: 1)
        c.pointee.sample_aspect_ratio = sampleAspectRatio.num > 0 && sampleAspectRatio.den > 0 ? sampleAspectRatio : square
        c.pointee.time_base = AVRational(num: 1, den: 1)
        c.pointee.thread_count = 1
        c.pointee.flags |= AV_CODEC_FLAG_QSCALE
        c.pointee.global_quality = Int32(qscale) * FF_QP2LAMBDA
        c.pointee.qmin = 1
        c.pointee.qmax = 31
        try encoder.open(options: [])
        return encoder
    }

    /// Encodes `frame` as the only picture of this encoder's stream and returns the packet's
    /// bytes (from MJPEG, a whole JPEG file). The encoder is drained: it takes no more frames.
    /// The frame carries the encoder's global quality, which fixed-quantiser encoders read
    /// from each frame.
    func encodeAlone(_ frame: MediaFrame) throws(MediaError) -> [UInt8] {
        let f = scratch.pointer
        av_frame_unref(f)
        try MediaError.throwIfFail(av_frame_ref(f, frame.pointer), "av_frame_ref")
        defer { av_frame_unref(f) }
        f.pointee.pts = 0
        f.pointee.pict_type = AV_PICTURE_TYPE_NONE
        f.pointee.quality = pointer.pointee.global_quality
        try MediaError.throwIfFail(avcodec_send_frame(pointer, f), "encoding with \(name)")
        try MediaError.throwIfFail(avcodec_send_frame(pointer, nil), "flushing the \(name) encoder")
        let packet = MediaPacket()
        guard try receive(into: packet), let data = packet.pointer.pointee.data, packet.size > 0 else {
            throw .libav(operation: "encoding with \(name)", code: heaters_AVERROR_EOF(), message: "the encoder returned no picture")
        }
        return Array(UnsafeBufferPointer(start: data, count: Int(packet.size)))
    }

    /// An audio encoder needs a rate and channels; some broken streams declare neither.
    private static func requireAudioParameters(_ format: AudioFormat, for name: String) throws(MediaError) {
        guard format.sampleRate > 0, format.channels > 0 else {
            throw .libav(operation: "opening the \(name) encoder", code: heaters_AVERROR(EINVAL),
                         message: "the audio stream declares no sample rate or channel count")
        }
    }

    /// libav's native AAC encoder (LC, `bitRate` bits per second, else 64 kb/s per channel) with
    /// the decoder's channels, at the source's sample rate when AAC has it, else 48 kHz (the
    /// converter resamples).
    static func aac(_ format: AudioFormat, layoutFrom decoder: MediaDecoder, bitRate: Int? = nil,
                    globalHeader: Bool) throws(MediaError) -> MediaEncoder {
        try requireAudioParameters(format, for: "aac")
        let codec = try find("aac")
        let encoder = try MediaEncoder(codec: codec, name: "aac")
        let c = encoder.pointer
        var rate: Int32 = 48000
        if let rates = codec.pointee.supported_samplerates {
            var index = 0
            while rates[index] != 0 {
                if rates[index] == format.sampleRate { rate = format.sampleRate }
                index += 1
            }
        }
        c.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
        c.pointee.sample_rate = rate
        c.pointee.time_base = AVRational(num: 1, den: rate)
        c.pointee.bit_rate = bitRate.map { Int64($0) } ?? 64_000 * Int64(format.channels)
        decoder.copyChannelLayout(into: &c.pointee.ch_layout)
        if globalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        try encoder.open(options: [])
        return encoder
    }

    /// FLAC with the decoder's rate and channels; 16-bit for 8/16-bit sources, else 24-bit.
    static func flac(_ format: AudioFormat, layoutFrom decoder: MediaDecoder, globalHeader: Bool) throws(MediaError) -> MediaEncoder {
        try requireAudioParameters(format, for: "flac")
        let encoder = try MediaEncoder(codec: try find("flac"), name: "flac")
        let c = encoder.pointer
        let narrow: [AVSampleFormat] = [AV_SAMPLE_FMT_U8, AV_SAMPLE_FMT_U8P, AV_SAMPLE_FMT_S16, AV_SAMPLE_FMT_S16P]
        if narrow.contains(format.sampleFormat) {
            c.pointee.sample_fmt = AV_SAMPLE_FMT_S16
        } else {
            c.pointee.sample_fmt = AV_SAMPLE_FMT_S32
            c.pointee.bits_per_raw_sample = (17...24).contains(format.bitsPerRawSample) ? format.bitsPerRawSample : 24
        }
        c.pointee.sample_rate = format.sampleRate
        c.pointee.time_base = AVRational(num: 1, den: format.sampleRate)
        decoder.copyChannelLayout(into: &c.pointee.ch_layout)
        if globalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        try encoder.open(options: [])
        return encoder
    }

    /// An audio converter producing frames this (audio) encoder accepts.
    func makeAudioConverter() throws(MediaError) -> AudioConverter {
        let variable = pointer.pointee.codec.pointee.capabilities & Int32(AV_CODEC_CAP_VARIABLE_FRAME_SIZE) != 0
        let size = (variable || pointer.pointee.frame_size <= 0) ? 4096 : pointer.pointee.frame_size
        return try AudioConverter(encoder: pointer, frameSize: size)
    }

    /// Sends `frame` with presentation time `pts` (in the encoder's time base; nil keeps the
    /// frame's own); the encoder picks the picture type itself. A nil frame starts draining.
    func send(_ frame: MediaFrame?, pts: Int64?) throws(MediaError) {
        guard let frame else {
            try MediaError.throwIfFail(avcodec_send_frame(pointer, nil), "flushing the \(name) encoder")
            return
        }
        let f = scratch.pointer
        av_frame_unref(f)
        try MediaError.throwIfFail(av_frame_ref(f, frame.pointer), "av_frame_ref")
        defer { av_frame_unref(f) }
        if let pts { f.pointee.pts = pts }
        f.pointee.pict_type = AV_PICTURE_TYPE_NONE
        try MediaError.throwIfFail(avcodec_send_frame(pointer, f), "encoding with \(name)")
    }

    /// Takes the next encoded packet; false when the encoder needs input or is drained.
    func receive(into packet: MediaPacket) throws(MediaError) -> Bool {
        let received = avcodec_receive_packet(pointer, packet.pointer)
        if received == heaters_AVERROR(EAGAIN) || received == heaters_AVERROR_EOF() { return false }
        try MediaError.throwIfFail(received, "encoding with \(name)")
        return true
    }

    var context: UnsafeMutablePointer<AVCodecContext> { pointer }
}
