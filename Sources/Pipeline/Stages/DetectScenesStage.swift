import Database
import Domain
import Foundation
import Media
import Queue
import Storage
import Vision

/// Detect scenes: the default detector on the source's proxy, then one virtual clip per
/// scene in `pending_review`, created in one transaction with the record of the detector
/// and parameters used. A rerun finds the clips of an earlier run and creates nothing.
enum DetectScenesStage {
    static func work(_ context: StageContext) throws -> StageResult {
        let services = context.services
        let storage = services.storage
        let id = context.job.subjectID
        guard let proxy = try SceneQueries.proxy(services.database, sourceID: id),
              let key = try? StorageKey(proxy.key) else {
            throw PermanentFailure("source \(id) has no proxy to detect scenes in")
        }
        let folder = try context.freshScratchFolder("detect")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try storage.readableFile(key: key, downloadingTo: folder.appendingPathComponent("proxy.mp4"))
        context.progress(0.05)

        let detection: SceneDetection
        do {
            detection = try SceneDetection.run(path: file.path, progress: { context.progress(0.05 + 0.9 * $0) },
                                               isCancelled: context.isCancelled)
        } catch let error as MediaError {
            if case .cancelled = error { throw JobInterruption() }
            throw PermanentFailure("the proxy of source \(id) cannot be analysed: \(error)")
        }
        // The recorded frame count is the proxy's index; the clips must lie within it.
        let scenes = SceneList.scenes(cuttingAt: detection.boundaries.map(\.frame), frameCount: proxy.frameCount,
                                      framesPerSecond: proxy.fps)
        let summary = try JSONText(encoding: Summary(
            detector: detection.detector, parameters: detection.parameters, framesAnalysed: detection.frameCount,
            scenes: scenes.count, cuts: detection.boundaries.filter { $0.kind == .cut }.count,
            dissolves: detection.boundaries.filter { $0.kind == .dissolve }.count,
            fades: detection.boundaries.filter { $0.kind == .fade }.count))
        let recorded = try SceneQueries.record(services.database, sourceID: id, scenes: scenes, summary: summary)
        return StageResult(json: "{\"scenes\": \(scenes.count), \"clips_created\": \(recorded.created), \"clips\": \(recorded.total)}")
    }

    /// What `source_videos.scene_detection` records.
    struct Summary: Encodable {
        var detector: String
        var parameters: [String: Double]
        var framesAnalysed: Int
        var scenes: Int
        var cuts: Int
        var dissolves: Int
        var fades: Int

        enum CodingKeys: String, CodingKey {
            case detector, parameters, scenes, cuts, dissolves, fades
            case framesAnalysed = "frames_analysed"
        }
    }
}
