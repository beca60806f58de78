import Domain
import Foundation
@testable import Media
import Testing
@testable import Vision

/// Scene detection on real files generated at test time: the feature pass decodes every
/// frame, and the detectors find the boundaries that were put there.
@Suite(.timeLimit(.minutes(12))) struct SceneDetectionTests {
    static func folder(_ label: String) throws -> URL { try ProjectPaths.freshDirectory(label) }

    @Test func hardCutsAreFoundWhereTheShotsChange() throws {
        let dir = try Self.folder("scenes-cuts")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try SceneFixtures.hardCuts(at: dir.appendingPathComponent("cuts.mp4"), count: 5, seconds: 2)
        for detector in ["default", "content", "adaptive", "histogram"] {
            let detection = try SceneDetection.run(path: file.path, detector: detector)
            #expect(detection.frameCount == 250)
            #expect(detection.framesPerSecond == 25)
            #expect(detection.boundaries.map(\.frame) == [50, 100, 150, 200], "\(detector)")
            let scenes = SceneList.scenes(cuttingAt: detection.boundaries.map(\.frame), frameCount: detection.frameCount,
                                          framesPerSecond: detection.framesPerSecond)
            #expect(scenes.map(\.startFrame) == [0, 50, 100, 150, 200], "\(detector)")
            #expect(scenes.last?.endFrame == 250)
        }
    }

    @Test func onAnAllIntraVideoEveryThirdFrameFindsTheSameCutsAsEveryFrame() throws {
        let dir = try Self.folder("scenes-stride")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try SceneFixtures.hardCuts(at: dir.appendingPathComponent("intra.mp4"), count: 6, seconds: 2, allIntra: true)
        let sampled = try SceneDetection.run(path: file.path)
        let everyFrame = try SceneDetection.run(path: file.path, stride: 1)
        #expect(sampled.parameters["stride"] == Double(SceneDetection.defaultStride))
        #expect(everyFrame.parameters["stride"] == 1)
        #expect(sampled.features.count == (300 + SceneDetection.defaultStride - 1) / SceneDetection.defaultStride)
        #expect(sampled.frameCount == 300)
        #expect(sampled.boundaries.map(\.frame) == [50, 100, 150, 200, 250])
        #expect(everyFrame.boundaries.map(\.frame) == [50, 100, 150, 200, 250])
    }

    @Test func dissolvesFadesAndCutsEachFoundOnceByTheDefault() throws {
        let dir = try Self.folder("scenes-mixed")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try SceneFixtures.mixed(at: dir.appendingPathComponent("mixed.mp4"))
        let truth = SceneFixtures.mixedTruth
        let detection = try SceneDetection.run(path: file.path)
        #expect(detection.frameCount == truth.frames)
        let found = detection.boundaries
        #expect(found.count == 3, "\(found)")
        #expect(found.contains { $0.kind == .dissolve && (truth.dissolve.lowerBound - 2...truth.dissolve.upperBound + 2).contains($0.frame) },
                "\(found)")
        #expect(found.contains { $0.kind == .fade && (truth.fade.lowerBound - 2...truth.fade.upperBound + 2).contains($0.frame) },
                "\(found)")
        #expect(found.contains { $0.kind == .cut && abs($0.frame - truth.cut) <= 1 }, "\(found)")
        // The threshold detector sees only the fade; the content detector not the dissolve.
        let threshold = try SceneDetection.run(path: file.path, detector: "threshold").boundaries
        #expect(threshold.count == 1 && truth.fade.contains(threshold[0].frame), "\(threshold)")
    }

    @Test func aFileThatIsNotAVideoIsAClearError() throws {
        let dir = try Self.folder("scenes-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let audio = try VideoFixtures.sineAudio(at: dir.appendingPathComponent("voice.m4a"))
        #expect(throws: MediaError.noVideoStream(path: audio.path)) { try SceneDetection.run(path: audio.path) }
        #expect(throws: SceneDetection.UnknownDetector.self) { try SceneDetection.run(path: audio.path, detector: "magic") }
    }

    @Test func theDetectCommandPrintsScenesAsJSONAndCSV() throws {
        let dir = try Self.folder("scenes-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try SceneFixtures.hardCuts(at: dir.appendingPathComponent("three.mp4"), count: 3, seconds: 2)
        let json = try HeatersCLI.run(["detect", file.path, "--json"], dataDirectory: dir)
        #expect(json.status == 0, "\(json.output)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["frames"] as? Int == 150)
        #expect(report["detector"] as? String == "default")
        let scenes = try #require(report["scenes"] as? [[String: Any]])
        #expect(scenes.map { $0["start_frame"] as? Int } == [0, 50, 100])
        #expect(scenes.map { $0["end_frame"] as? Int } == [50, 100, 150])
        #expect(scenes.last?["end_seconds"] as? Double == 6)
        let csv = try HeatersCLI.run(["detect", file.path, "--csv", "--detector", "content"], dataDirectory: dir)
        #expect(csv.stdout.split(separator: "\n") == ["scene,start_frame,end_frame,start_seconds,end_seconds",
                                                      "1,0,50,0.000,2.000", "2,50,100,2.000,4.000", "3,100,150,4.000,6.000"])
        let bad = try HeatersCLI.run(["detect", dir.appendingPathComponent("nothing.mp4").path], dataDirectory: dir)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("no such file"))
        let unknown = try HeatersCLI.run(["detect", file.path, "--detector", "magic"], dataDirectory: dir)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("choose one of default, content"), "\(unknown.stderr)")
    }
}
