/// Frame numbers and master time: frame n is at `origin + n / rate` seconds.
struct FrameTiming {
    let timeBase: Double
    let rate: Double
    let origin: Double

    func seconds(ofFrame frame: Int) -> Double { origin + Double(frame) / rate }

    /// The frame a timestamp (in the video stream's time base) falls on, to the nearest frame.
    func frame(atTimestamp timestamp: Int64) -> Int {
        Int(((Double(timestamp) * timeBase - origin) * rate).rounded())
    }
}

/// Finding frames in a gold master, for `ClipExporter` and `KeyframeExtractor`.
extension InputFile {
    /// Seeks so that the next video packet is at or before `frame` (`marginSeconds` earlier
    /// still, for audio that starts before it); when the seek lands past `frame`, reading
    /// starts from the master's first frame instead. The caller flushes its decoders.
    func seekVideo(_ video: Int32, atOrBefore frame: Int, marginSeconds: Double, timing: FrameTiming, packet: MediaPacket,
                   path: String) throws(MediaError) {
        let target = max(timing.origin, timing.seconds(ofFrame: frame) - marginSeconds - 0.5 / timing.rate)
        var landed = false
        if seek(stream: video, toSeconds: target), let first = try nextVideoFrameNumber(video, timing: timing, packet: packet),
           first <= frame {
            landed = seek(stream: video, toSeconds: target)
        }
        if !landed, !seek(stream: video, toSeconds: timing.origin) {
            throw .undecodable(path: path, reason: "the master cannot seek to frame \(frame)")
        }
    }

    /// Reads up to the next video packet and returns its frame number (nil at the end or
    /// without a timestamp).
    func nextVideoFrameNumber(_ video: Int32, timing: FrameTiming, packet: MediaPacket) throws(MediaError) -> Int? {
        while try readPacket(into: packet) {
            if packet.streamIndex == video { return packet.presentationTimestamp.map(timing.frame(atTimestamp:)) }
        }
        return nil
    }

    /// One past the last video packet's frame number. Only the last seconds are read when
    /// the container declares its duration and can seek: a master can be hundreds of gigabytes.
    func countVideoFrames(_ video: Int32, timing: FrameTiming, path: String) throws(MediaError) -> Int {
        func lastFrame() throws(MediaError) -> Int? {
            let packet = MediaPacket()
            var last: Int?
            while try readPacket(into: packet) {
                guard packet.streamIndex == video, let pts = packet.presentationTimestamp else { continue }
                last = max(last ?? .min, timing.frame(atTimestamp: pts))
            }
            return last
        }
        var last: Int?
        if let duration = durationSeconds(stream: video), duration > 3, seek(stream: video, toSeconds: timing.origin + duration - 3) {
            last = try lastFrame()
            if last == nil, !seek(stream: video, toSeconds: timing.origin) {
                throw .undecodable(path: path, reason: "the master cannot seek back to its start")
            }
        }
        if last == nil { last = try lastFrame() }
        guard let last, last >= 0 else { throw .undecodable(path: path, reason: "no video frames in the master") }
        return last + 1
    }
}
