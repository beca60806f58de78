import Foundation

/// One decode pass over a video producing every frame's `FrameFeatures`: the expensive
/// half of scene detection (the detectors then only read numbers).
public enum SceneFeaturePass {
    /// The features of every frame of `path`, and the video's frame rate.
    public struct Result: Sendable {
        public var features: [FrameFeatures]
        public var framesPerSecond: Double
        public var frameCount: Int { features.count }
    }

    /// Width of the frames the features are computed on: small, because every feature is
    /// about the whole picture, and cost grows with pixels.
    public static let analysisWidth = 160

    /// Decodes `path` once. `progress` gets 0…1 about every 1 %; `isCancelled` is asked
    /// every frame and stops the pass with `MediaError.cancelled`.
    public static func run(path: String, progress: (Double) -> Void = { _ in },
                           isCancelled: () -> Bool = { false }) throws -> Result {
        let reader = try DownscaledFrameReader(path: path, width: analysisWidth)
        let extractor = try SceneFeatureExtractor(width: reader.width, height: reader.height)
        var features: [FrameFeatures] = []
        if let expected = reader.expectedFrames { features.reserveCapacity(expected + 16) }
        var pixels: [UInt8] = []
        var decoded = 0
        var lastReported = -1.0
        while try reader.next(into: &pixels) {
            if isCancelled() { throw MediaError.cancelled }
            if let ready = try extractor.push(pixels) { features.append(ready) }
            decoded += 1
            if let expected = reader.expectedFrames, expected > 0 {
                let fraction = min(Double(decoded) / Double(expected), 0.999)
                if fraction - lastReported >= 0.01 {
                    lastReported = fraction
                    progress(fraction)
                }
            }
        }
        features += try extractor.finish()
        guard !features.isEmpty else { throw MediaError.undecodable(path: path, reason: "no video frame could be decoded") }
        return Result(features: features, framesPerSecond: reader.frameRate.doubleValue)
    }
}
