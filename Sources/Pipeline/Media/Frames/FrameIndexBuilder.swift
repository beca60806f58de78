import CFFmpeg
import Foundation

/// Reads where every packet of a proxy's video stream lies: the frame index of an all-intra
/// file, through the same libav owners as the rest of Media.
public enum FrameIndexBuilder {
    public static func build(proxy path: String) throws -> FrameIndex {
        let input = try InputFile(path: path)
        guard let stream = input.bestStream(AVMEDIA_TYPE_VIDEO) else { throw MediaError.noVideoStream(path: path) }
        let coded = input.codedSize(stream: stream)
        let setup = input.decoderSetup(stream: stream)
        let timeBase = input.timeBase(stream: stream), frameRate = input.averageFrameRate(stream: stream)
        let header = FrameIndex.Header(
            codec: coded.codec, width: coded.width, height: coded.height, pixelFormat: setup.pixelFormat,
            timeBase: [timeBase.numerator, timeBase.denominator], frameRate: [frameRate.numerator, frameRate.denominator],
            extradata: Data(setup.extradata))

        var entries: [FrameIndex.Entry] = []
        let packet = MediaPacket()
        while try input.readPacket(into: packet) {
            guard packet.streamIndex == stream else { continue }
            guard packet.isKeyFrame else {
                throw MediaError.notMedia(path: path, reason: "frame \(entries.count) is not a key frame: not an all-intra proxy")
            }
            guard packet.position >= 0 else {
                throw MediaError.notMedia(path: path, reason: "the container does not give packet offsets")
            }
            let pts = packet.presentationTimestamp ?? packet.decodeTimestamp ?? heaters_AV_NOPTS_VALUE()
            entries.append(FrameIndex.Entry(offset: packet.position, size: packet.size, pts: pts))
        }
        // Presentation order: with all-intra frames it is the file order, but sort to be sure.
        entries.sort { $0.pts < $1.pts }
        return FrameIndex(header: header, entries: entries)
    }
}
