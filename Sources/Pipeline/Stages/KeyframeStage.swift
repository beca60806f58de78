import Database
import Domain
import Foundation
import Media
import Queue
import Storage
import Support

/// Keyframes: JPEG stills of an exported clip taken at exact frames of the gold master (the
/// best picture there is, with no generation loss), at the frames the configured strategy
/// names, stored as `clips/<clip>/keyframes/<strategy>-<tag>.jpg` (a rerun replaces the same
/// objects) and recorded in `clip_artifacts` in the transaction that marks the clip keyframed.
enum KeyframeStage {
    static func work(_ context: StageContext) throws -> StageResult {
        let services = context.services
        let id = context.job.subjectID
        let settings = services.settings
        let strategy = try StageSettings.named(settings.keyframeStrategy, in: settings.keyframeStrategies, kind: "keyframe strategy",
                                               setting: "[keyframes] strategy", table: "keyframes.strategies")
        let master = try ClipMaster.open(context, for: "take stills from")
        defer { master.release() }
        let wanted = strategy.frames(start: master.target.startFrame, end: master.target.endFrame)
        let stills: [Media.Keyframe]
        do {
            stills = try KeyframeExtractor(master: master.file.path).stills(frames: wanted.map(\.frame))
        } catch {
            throw master.failure(error, "gives no stills")
        }
        context.progress(0.5)
        var recorded: [ClipOutputQueries.Keyframe] = []
        for ((tag, frame), still) in zip(wanted, stills) {
            let key = try StorageKey("clips/\(id)/keyframes/\(strategy.name)-\(tag).jpg")
            try services.storage.put(data: Data(still.jpeg), key: key)
            let metadata = try JSONText(encoding: Still(frame: frame, width: still.width, height: still.height))
            recorded.append(.init(strategy: strategy.name, tag: tag, key: key.value, metadata: metadata.text))
        }
        Failpoint.hit("keyframes-stored")
        context.progress(1)
        let result = try JSONText(encoding: Result(strategy: strategy.name, frames: wanted.map(\.frame), keys: recorded.map(\.key)))
        let keyframes = recorded
        return StageResult(json: result.text) { tx in
            try ClipOutputQueries.recordKeyframes(tx, clipID: id, keyframes: keyframes)
        }
    }

    /// A still's `clip_artifacts.metadata`.
    struct Still: Encodable {
        var frame: Int
        var width: Int
        var height: Int
    }

    struct Result: Encodable {
        var strategy: String
        var frames: [Int]
        var keys: [String]
    }
}
