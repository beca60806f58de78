import CFFmpeg

/// What the encoders need to know about the source video, copied out of the decoder.
struct VideoFormat {
    var width: Int32
    var height: Int32
    var pixelFormat: AVPixelFormat
    var sampleAspectRatio: AVRational
    var colorRange: AVColorRange
    var colorSpace: AVColorSpace
    var colorPrimaries: AVColorPrimaries
    var colorTransfer: AVColorTransferCharacteristic
    var chromaLocation: AVChromaLocation
}
