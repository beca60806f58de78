import CFFmpeg

/// What the audio encoder needs to know about the source audio.
struct AudioFormat {
    var sampleRate: Int32
    var channels: Int32
    var sampleFormat: AVSampleFormat
    var bitsPerRawSample: Int32
}
