import Foundation
import Media

/// One pass over a video producing the `FrameFeatures` the detectors read: the expensive
/// half of scene detection (the detectors then only read numbers).
///
/// On an all-intra video (a proxy) the pass reads every `stride`-th frame only, each decoded
/// alone (`AnalysisFrameReader`); any other video is decoded front to back, every frame.
public enum SceneFeaturePass {
    public struct Result: Sendable {
        /// One per analysed frame: `features[i]` describes frame `i × stride`.
        public var features: [FrameFeatures]
        /// Frames from one analysed frame to the next.
        public var stride: Int
        /// Frames in the video.
        public var frameCount: Int
        public var framesPerSecond: Double
    }

    /// Width of the frames the features are computed on: small, because every feature is
    /// about the whole picture, and cost grows with pixels.
    public static let analysisWidth = 160

    /// Every frame of `path`, decoded in order. `progress` gets 0…1 about every 1 %;
    /// `isCancelled` is asked every frame and stops the pass with `MediaError.cancelled`.
    public static func run(path: String, progress: (Double) -> Void = { _ in },
                           isCancelled: () -> Bool = { false }) throws -> Result {
        let reader = try DownscaledFrameReader(path: path, width: analysisWidth)
        let extractor = try SceneFeatureExtractor(width: reader.width, height: reader.height)
        var features: [FrameFeatures] = []
        if let expected = reader.expectedFrames { features.reserveCapacity(expected + 16) }
        var pixels: [UInt8] = []
        var decoded = 0
        var throttle = ProgressThrottle()
        while try reader.next(into: &pixels) {
            if isCancelled() { throw MediaError.cancelled }
            if let ready = try extractor.push(pixels) { features.append(ready) }
            decoded += 1
            if let expected = reader.expectedFrames, expected > 0 { if let value = throttle.next(Double(decoded) / Double(expected)) { progress(value) } }
        }
        features += try extractor.finish()
        guard !features.isEmpty else { throw MediaError.undecodable(path: path, reason: "no video frame could be decoded") }
        return Result(features: features, stride: 1, frameCount: features.count, framesPerSecond: reader.frameRate.doubleValue)
    }

    /// Every `stride`-th frame of an all-intra video, decoded in parallel batches.
    static func run(reader: AnalysisFrameReader, stride: Int, progress: (Double) -> Void = { _ in },
                    isCancelled: () -> Bool = { false }) throws -> Result {
        let extractor = try SceneFeatureExtractor(width: reader.width, height: reader.height,
                                                  halfWidths: SceneFeatureExtractor.halfWidths(stride: stride))
        let samples = Array(Swift.stride(from: 0, to: reader.frameCount, by: max(1, stride)))
        var features: [FrameFeatures] = []
        features.reserveCapacity(samples.count)
        var throttle = ProgressThrottle()
        let batch = 64
        for start in Swift.stride(from: 0, to: samples.count, by: batch) {
            if isCancelled() { throw MediaError.cancelled }
            for pixels in try reader.frames(Array(samples[start ..< min(start + batch, samples.count)])) {
                if let ready = try extractor.push(pixels) { features.append(ready) }
            }
            if let value = throttle.next(Double(min(start + batch, samples.count)) / Double(samples.count)) { progress(value) }
        }
        features += try extractor.finish()
        let rate = reader.index.header.frameRate
        let fps = rate.count == 2 && rate[1] > 0 ? Double(rate[0]) / Double(rate[1]) : 0
        return Result(features: features, stride: max(1, stride), frameCount: reader.frameCount, framesPerSecond: fps)
    }
}

/// Passes on progress in 0…1 only when it has grown by at least 1 % (below 1: the caller
/// says when the work is done).
struct ProgressThrottle {
    private var last = -1.0

    mutating func next(_ fraction: Double) -> Double? {
        let value = min(fraction, 0.999)
        guard value - last >= 0.01 else { return nil }
        last = value
        return value
    }
}
