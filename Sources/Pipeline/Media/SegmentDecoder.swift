/// `DecodeCheck`'s second pass: decodes runs of video (and the audio interleaved with it)
/// from wherever the input stands, counting decoder failures and concealed frames.
///
/// A run starts at the first video key frame it reads, so a seek that lands just before one
/// does not count the undecodable packets ahead of it; frames presented before that key frame
/// (leading pictures of an open GOP, which reference frames before the seek point) are counted
/// but their errors are not.
struct SegmentDecoder {
    let input: InputFile
    let video: Int32
    let videoDecoder: MediaDecoder
    let audio: Int32?
    let audioDecoder: MediaDecoder?
    private let packet = MediaPacket()
    private let frame = MediaFrame()

    private(set) var videoFrames = 0
    private(set) var audioFrames = 0
    private(set) var videoPackets = 0
    private(set) var audioPackets = 0
    private(set) var videoErrors = 0
    private(set) var audioErrors = 0

    init(input: InputFile, video: Int32, videoDecoder: MediaDecoder, audio: Int32?, audioDecoder: MediaDecoder?) {
        self.input = input
        self.video = video
        self.videoDecoder = videoDecoder
        self.audio = audio
        self.audioDecoder = audioDecoder
    }

    /// Moves to the key frame at or before `seconds` and resets the decoders; false when the
    /// container cannot seek.
    mutating func seek(toSeconds seconds: Double) -> Bool {
        guard input.seek(stream: video, toSeconds: seconds) else { return false }
        videoDecoder.flush()
        audioDecoder?.flush()
        return true
    }

    /// Decodes until `limit` video frames came out of this run, or to the end of the file
    /// (then the decoders are drained) when `limit` is nil or the file ends first.
    mutating func decode(frames limit: Int?, isCancelled: () -> Bool) throws(MediaError) {
        var decodedHere = 0
        var keyTime: Int64?
        var started = false
        while limit.map({ decodedHere < $0 }) ?? true {
            if isCancelled() { throw .cancelled }
            let more: Bool
            do {
                more = try input.readPacket(into: packet)
            } catch {
                more = false  // the demux pass reports read errors; here they only end the run
            }
            guard more else {
                _ = videoDecoder.send(nil)
                decodedHere += drainVideo(after: keyTime)
                if let audioDecoder {
                    _ = audioDecoder.send(nil)
                    drainAudio(audioDecoder)
                }
                return
            }
            if packet.streamIndex == video {
                if !started {
                    guard packet.isKeyFrame else { continue }
                    started = true
                    keyTime = packet.presentationTimestamp
                }
                videoPackets += 1
                // The decoder is drained after every packet, so a failure here is the packet's fault.
                if videoDecoder.send(packet) < 0 { videoErrors += 1 }
                decodedHere += drainVideo(after: keyTime)
            } else if started, packet.streamIndex == audio, let audioDecoder {
                audioPackets += 1
                if audioDecoder.send(packet) < 0 { audioErrors += 1 }
                drainAudio(audioDecoder)
            }
        }
    }

    /// Takes every ready video frame; returns how many.
    private mutating func drainVideo(after keyTime: Int64?) -> Int {
        var count = 0
        while true {
            switch videoDecoder.receive(into: frame) {
            case .needMore:
                return count
            case .error:
                videoErrors += 1
                return count
            case .frame:
                count += 1
                videoFrames += 1
                let leading = keyTime.flatMap { key in frame.bestEffortTimestamp.map { $0 < key } } ?? false
                if frame.hasDecodeErrors && !leading { videoErrors += 1 }
                frame.unref()
            }
        }
    }

    private mutating func drainAudio(_ decoder: MediaDecoder) {
        while true {
            switch decoder.receive(into: frame) {
            case .needMore:
                return
            case .error:
                audioErrors += 1
                return
            case .frame:
                audioFrames += 1
                if frame.hasDecodeErrors { audioErrors += 1 }
                frame.unref()
            }
        }
    }
}
