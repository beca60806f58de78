import Foundation

/// Scene detection of one video file: the feature pass, then a detector, then the scenes.
public struct SceneDetection: Sendable {
    public var detector: String
    public var parameters: [String: Double]
    public var frameCount: Int
    public var framesPerSecond: Double
    public var boundaries: [SceneBoundary]
    public var scenes: [Scene]
    /// What the detector read, frame by frame.
    public var features: [FrameFeatures]
    /// Seconds spent decoding and analysing (the feature pass plus the detector).
    public var elapsedSeconds: Double

    /// Detects the scenes of `path` with the detector called `detectorName`.
    public static func run(path: String, detector detectorName: String = SceneDetectors.defaultName,
                           progress: (Double) -> Void = { _ in }, isCancelled: () -> Bool = { false }) throws -> SceneDetection {
        guard SceneDetectors.catalogue.contains(where: { $0.name == detectorName }) else {
            throw UnknownDetector(name: detectorName)
        }
        let started = ContinuousClock.now
        let pass = try SceneFeaturePass.run(path: path, progress: progress, isCancelled: isCancelled)
        guard let detector = SceneDetectors.named(detectorName, framesPerSecond: pass.framesPerSecond) else {
            throw UnknownDetector(name: detectorName)
        }
        let boundaries = detector.boundaries(in: pass.features)
        let scenes = SceneList.scenes(cuttingAt: boundaries.map(\.frame), frameCount: pass.frameCount,
                                      framesPerSecond: pass.framesPerSecond)
        let elapsed = ContinuousClock.now - started
        return SceneDetection(detector: detector.name, parameters: detector.parameters, frameCount: pass.frameCount,
                              framesPerSecond: pass.framesPerSecond, boundaries: boundaries, scenes: scenes, features: pass.features,
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
