import Foundation
import Media

/// Scene detection of one video file: the feature pass, then a detector, then the scene
/// boundaries (the cut points; Domain's `SceneList` makes scenes of them).
public struct SceneDetection: Sendable {
    public var detector: String
    public var parameters: [String: Double]
    public var frameCount: Int
    public var framesPerSecond: Double
    /// Frames from one analysed frame to the next (1: every frame).
    public var stride: Int
    /// Where scenes begin (the frames after the cuts): `SceneList` turns them into scenes.
    public var boundaries: [SceneBoundary]
    /// What the detector read: one per analysed frame (`features[i]` is frame `i × stride`).
    public var features: [FrameFeatures]
    /// Seconds spent decoding and analysing (the feature pass plus the detector).
    public var elapsedSeconds: Double

    /// Frames between the frames a detection of an all-intra video analyses: a proxy's frames
    /// each decode alone, so reading one in `defaultStride` costs 1/`defaultStride` of the
    /// decoding; cuts are then placed on the exact frame by decoding the frames in between.
    public static let defaultStride = 3

    /// Detects the scenes of `path` with the detector called `detectorName`. `stride` applies
    /// to all-intra videos; others are analysed frame by frame.
    public static func run(path: String, detector detectorName: String = SceneDetectors.defaultName,
                           stride: Int = defaultStride,
                           progress: (Double) -> Void = { _ in }, isCancelled: () -> Bool = { false }) throws -> SceneDetection {
        guard SceneDetectors.catalogue.contains(where: { $0.name == detectorName }) else {
            throw UnknownDetector(name: detectorName)
        }
        let started = ContinuousClock.now
        // Not all-intra (or not readable that way): the sequential pass says what is wrong.
        let reader = stride > 1 ? try? AnalysisFrameReader(path: path) : nil
        let pass = try reader.map { try SceneFeaturePass.run(reader: $0, stride: stride, progress: progress, isCancelled: isCancelled) }
            ?? SceneFeaturePass.run(path: path, progress: progress, isCancelled: isCancelled)
        // The detectors count in analysed frames: their rate is the video's over the stride.
        guard let detector = SceneDetectors.named(detectorName, framesPerSecond: pass.framesPerSecond / Double(pass.stride)) else {
            throw UnknownDetector(name: detectorName)
        }
        var boundaries = detector.boundaries(in: pass.features).map { found in
            SceneBoundary(frame: found.frame * pass.stride, kind: found.kind, start: found.start * pass.stride,
                          end: min(pass.frameCount - 1, found.end * pass.stride))
        }
        if let reader, pass.stride > 1 {
            boundaries = try boundaries.map { boundary in
                guard boundary.kind == .cut else { return boundary }
                // The cut lies after the analysed frame before; one stride more in case the
                // step there was the larger one (a cut just after a sampled frame).
                let first = max(0, boundary.frame - 2 * pass.stride)
                let frame = CutRefinement.largestStep(in: try reader.frames(Array(first...boundary.frame)), first: first,
                                                      width: reader.width, height: reader.height)
                return SceneBoundary(frame: frame, kind: .cut)
            }
        }
        let elapsed = ContinuousClock.now - started
        return SceneDetection(detector: detector.name, parameters: detector.parameters.merging(["stride": Double(pass.stride)]) { $1 },
                              frameCount: pass.frameCount, framesPerSecond: pass.framesPerSecond, stride: pass.stride, boundaries: boundaries,
                              features: pass.features,
                              elapsedSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// A detector name that is not in `SceneDetectors.catalogue`.
    public struct UnknownDetector: Error, CustomStringConvertible {
        public var name: String
        public var description: String {
            "there is no detector called \"\(name)\"; choose one of " + SceneDetectors.catalogue.map(\.name).joined(separator: ", ")
        }
    }
}
