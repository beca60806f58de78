#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFFmpeg

/// Owns a swresample context plus a sample FIFO: converts decoded audio to the encoder's
/// sample format and cuts it into frames of exactly the encoder's frame size.
final class AudioConverter {
    private var resampler: OpaquePointer?
    private let fifo: OpaquePointer
    private let converted = MediaFrame()
    private let format: AVSampleFormat
    /// The output (encoder's) sample rate.
    let sampleRate: Int32
    private var layout = AVChannelLayout()
    let frameSize: Int32
    /// Samples handed out by `pop` so far.
    private(set) var samplesOut: Int64 = 0
    private var pendingTrim: Int32 = 0
    /// When set, `pop` hands out no more than this many samples in all, cutting the frame
    /// that crosses it short (a clip's audio ends exactly with its last video frame).
    var sampleLimit: Int64?

    init(encoder: UnsafeMutablePointer<AVCodecContext>, frameSize: Int32) throws(MediaError) {
        format = encoder.pointee.sample_fmt
        sampleRate = encoder.pointee.sample_rate
        self.frameSize = frameSize
        guard let fifo = av_audio_fifo_alloc(format, encoder.pointee.ch_layout.nb_channels, frameSize) else {
            throw .libav(operation: "av_audio_fifo_alloc", code: heaters_AVERROR(ENOMEM),
                         message: MediaError.message(for: heaters_AVERROR(ENOMEM)))
        }
        self.fifo = fifo
        try MediaError.throwIfFail(av_channel_layout_copy(&layout, &encoder.pointee.ch_layout), "av_channel_layout_copy")
    }

    deinit {
        swr_free(&resampler)
        av_audio_fifo_free(fifo)
        av_channel_layout_uninit(&layout)
    }

    /// Moves the audio relative to the output's time zero: a positive offset (audio starts
    /// after the first video frame) queues that much silence first, a negative one drops that
    /// many leading samples. Call before the first `push`.
    func alignStart(offsetSeconds offset: Double) throws(MediaError) {
        let samples = Int32(max(-1e7, min(1e7, (offset * Double(sampleRate)).rounded())))
        if samples < 0 { pendingTrim = -samples; return }
        try insertSilence(samples: samples)
    }

    /// Queues `seconds` of silence after the samples pushed so far (to fill a gap in the
    /// source's audio, so what follows keeps its time).
    func insertSilence(seconds: Double) throws(MediaError) {
        try insertSilence(samples: Int32(max(0, min(1e7, (seconds * Double(sampleRate)).rounded()))))
    }

    private func insertSilence(samples: Int32) throws(MediaError) {
        guard samples > 0 else { return }
        let silence = MediaFrame()
        let f = silence.pointer
        f.pointee.nb_samples = samples
        f.pointee.format = format.rawValue
        f.pointee.sample_rate = sampleRate
        try MediaError.throwIfFail(av_channel_layout_copy(&f.pointee.ch_layout, &layout), "av_channel_layout_copy")
        try MediaError.throwIfFail(av_frame_get_buffer(f, 0), "av_frame_get_buffer(audio)")
        try MediaError.throwIfFail(av_samples_set_silence(f.pointee.extended_data, 0, samples, layout.nb_channels, format),
                                   "av_samples_set_silence")
        try MediaError.throwIfFail(heaters_audio_fifo_write_frame(fifo, f), "av_audio_fifo_write")
    }

    /// Queues silence after what is queued, up to `total` samples in all (counting those
    /// already popped), so audio that ended early still lasts as long as the video.
    /// Call after `flush`.
    func padWithSilence(toTotal total: Int64) throws(MediaError) {
        let missing = total - samplesOut - Int64(av_audio_fifo_size(fifo))
        try insertSilence(samples: Int32(max(0, min(missing, 1 << 30))))
    }

    /// Converts one decoded frame and queues its samples.
    func push(_ frame: MediaFrame) throws(MediaError) {
        if resampler == nil { try configure(from: frame.pointer) }
        try convert(frame.pointer)
    }

    /// Pulls the resampler's delayed samples at end of stream.
    func flush() throws(MediaError) {
        guard resampler != nil else { return }
        try convert(nil)
    }

    /// The next encoder-sized frame, or the short remainder when `final`; nil if not enough.
    func pop(into frame: MediaFrame, final: Bool) throws(MediaError) -> Bool {
        let available = av_audio_fifo_size(fifo)
        let wanted = sampleLimit.map { Int32(max(0, min(Int64(frameSize), $0 - samplesOut))) } ?? frameSize
        guard wanted > 0, available >= wanted || (final && available > 0) else { return false }
        let count = min(available, wanted)
        let f = frame.pointer
        av_frame_unref(f)
        f.pointee.nb_samples = count
        f.pointee.format = format.rawValue
        f.pointee.sample_rate = sampleRate
        try MediaError.throwIfFail(av_channel_layout_copy(&f.pointee.ch_layout, &layout), "av_channel_layout_copy")
        try MediaError.throwIfFail(av_frame_get_buffer(f, 0), "av_frame_get_buffer(audio)")
        let read = try MediaError.throwIfFail(heaters_audio_fifo_read_frame(fifo, f, count), "av_audio_fifo_read")
        f.pointee.nb_samples = read
        f.pointee.pts = samplesOut
        samplesOut += Int64(read)
        return true
    }

    private func configure(from frame: UnsafeMutablePointer<AVFrame>) throws(MediaError) {
        var inputLayout = AVChannelLayout()
        defer { av_channel_layout_uninit(&inputLayout) }
        if frame.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || frame.pointee.ch_layout.nb_channels == 0 {
            av_channel_layout_default(&inputLayout, max(frame.pointee.ch_layout.nb_channels, layout.nb_channels))
        } else {
            try MediaError.throwIfFail(av_channel_layout_copy(&inputLayout, &frame.pointee.ch_layout), "av_channel_layout_copy")
        }
        try MediaError.throwIfFail(
            swr_alloc_set_opts2(&resampler, &layout, format, sampleRate,
                                &inputLayout, AVSampleFormat(rawValue: frame.pointee.format), frame.pointee.sample_rate,
                                0, nil),
            "swr_alloc_set_opts2")
        try MediaError.throwIfFail(swr_init(resampler), "swr_init")
    }

    private func convert(_ input: UnsafeMutablePointer<AVFrame>?) throws(MediaError) {
        let out = converted.pointer
        av_frame_unref(out)
        out.pointee.format = format.rawValue
        out.pointee.sample_rate = sampleRate
        try MediaError.throwIfFail(av_channel_layout_copy(&out.pointee.ch_layout, &layout), "av_channel_layout_copy")
        if input == nil {
            // swr_convert_frame allocates from swr_get_out_samples, which is 0 for a pure flush.
            let pending = swr_get_delay(resampler, Int64(sampleRate))
            guard pending > 0 else { return }
            out.pointee.nb_samples = Int32(pending) + 32
            try MediaError.throwIfFail(av_frame_get_buffer(out, 0), "av_frame_get_buffer(audio)")
        } else if let input, input.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC {
            // swresample rejects unspecified layouts; the channel count was checked at configure.
            av_channel_layout_uninit(&input.pointee.ch_layout)
            av_channel_layout_default(&input.pointee.ch_layout, layout.nb_channels)
        }
        try MediaError.throwIfFail(swr_convert_frame(resampler, out, input), "converting audio samples")
        if out.pointee.nb_samples > 0 {
            try MediaError.throwIfFail(heaters_audio_fifo_write_frame(fifo, out), "av_audio_fifo_write")
        }
        if pendingTrim > 0 {
            let dropped = min(pendingTrim, av_audio_fifo_size(fifo))
            try MediaError.throwIfFail(av_audio_fifo_drain(fifo, dropped), "av_audio_fifo_drain")
            pendingTrim -= dropped
        }
    }
}
