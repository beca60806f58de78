import ArgumentParser
import Domain
import Foundation
import Media
import Vision

/// `heaters detect FILE`: scene detection on any video file, for scripting and benchmarks.
/// Needs no database: it reads the file, prints the scenes and exits.
struct DetectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Detect the scenes of a video file and print them.",
        discussion: "Detectors:\n" + SceneDetectors.catalogue.map { "  \($0.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \($0.summary)" }
            .joined(separator: "\n"))
    @Argument(help: "A video file.") var file: String
    @Option(help: "The detector (see below).") var detector = SceneDetectors.defaultName
    @Flag(help: "Print one JSON object: frames, fps, detector, elapsed seconds, scenes and boundaries.") var json = false
    @Flag(help: "Print the scenes as CSV: scene,start_frame,end_frame,start_seconds,end_seconds.") var csv = false
    @Option(help: "Also write the features of every analysed frame as CSV to this file (for tuning detectors).") var features: String?

    struct Report: Encodable {
        var file: String
        var frames: Int
        var fps: Double
        var detector: String
        var parameters: [String: Double]
        var elapsedSeconds: Double
        var scenes: [Scene]
        var boundaries: [SceneBoundary]

        enum CodingKeys: String, CodingKey {
            case file, frames, fps, detector, parameters, scenes, boundaries
            case elapsedSeconds = "elapsed_seconds"
        }
    }

    func validate() throws {
        if json && csv { throw ValidationError("choose one of --json and --csv") }
    }

    func run() async throws {
        try await reportingErrors {
            guard FileManager.default.fileExists(atPath: file) else { throw CommandFailure("no such file: \(file)") }
            LibavLog.silence()
            let showProgress = isatty(STDERR_FILENO) == 1
            let detection: SceneDetection
            do {
                detection = try SceneDetection.run(path: file, detector: detector, progress: { fraction in
                    if showProgress { FileHandle.standardError.write(Data(String(format: "\rdetecting… %3.0f%%", fraction * 100).utf8)) }
                })
            } catch let error as SceneDetection.UnknownDetector {
                throw CommandFailure(error.description)
            } catch let error as MediaError {
                throw CommandFailure("\(file) cannot be analysed: \(error)")
            }
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            let scenes = SceneList.scenes(cuttingAt: detection.boundaries.map(\.frame), frameCount: detection.frameCount,
                                          framesPerSecond: detection.framesPerSecond)
            if let features {
                let widths = FrameFeatures.windowHalfWidths(of: detection.features)
                // Rows name video frames; window widths stay in analysed frames.
                let lines = [FrameFeatures.csvHeader(windowHalfWidths: widths)] + detection.features.map { features in
                    var row = features
                    row.frame *= detection.stride
                    return row.csvRow(windowHalfWidths: widths)
                }
                try (lines.joined(separator: "\n") + "\n").write(toFile: features, atomically: true, encoding: .utf8)
            }
            if json {
                print(try CommandOutput.json(Report(file: file, frames: detection.frameCount, fps: detection.framesPerSecond,
                                                    detector: detection.detector, parameters: detection.parameters,
                                                    elapsedSeconds: detection.elapsedSeconds, scenes: scenes,
                                                    boundaries: detection.boundaries)))
            } else if csv {
                print("scene,start_frame,end_frame,start_seconds,end_seconds")
                for (n, scene) in scenes.enumerated() {
                    print("\(n + 1),\(scene.startFrame),\(scene.endFrame),\(String(format: "%.3f", scene.startSeconds)),\(String(format: "%.3f", scene.endSeconds))")
                }
            } else {
                print("\(scenes.count) scenes in \(detection.frameCount) frames "
                      + String(format: "(%.3f fps, %@ detector, %.1f s, %.0f frames/s)", detection.framesPerSecond,
                               detection.detector, detection.elapsedSeconds, Double(detection.frameCount) / max(detection.elapsedSeconds, 1e-9)))
                // Two detectors may report the same frame: the first kind is kept rather than trapping.
                let kinds = Dictionary(detection.boundaries.map { ($0.frame, $0.kind.rawValue) }, uniquingKeysWith: { first, _ in first })
                for (n, scene) in scenes.enumerated() {
                    let how = kinds[scene.startFrame].map { "  after a \($0)" } ?? ""
                    print(String(format: "%4d  frames %7d–%-7d  %@–%@%@", n + 1, scene.startFrame, scene.endFrame,
                                 Timecode.format(scene.startSeconds), Timecode.format(scene.endSeconds), how))
                }
            }
        }
    }
}
