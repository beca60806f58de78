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
        guard let strategy = settings.keyframeStrategies[settings.keyframeStrategy] else {
            let known = settings.keyframeStrategies.keys.sorted().joined(separator: ", ")
            throw PermanentFailure("keyframe strategy \"\(settings.keyframeStrategy)\" does not exist (known: \(known)); "
                + "set [keyframes] strategy or declare [keyframes.strategies.\(settings.keyframeStrategy)]")
        }
        guard let target = try ClipOutputQueries.target(services.database, clipID: id) else {
            throw PermanentFailure("clip \(id) no longer exists or was replaced by a merge or split")
        }
        guard let masterText = target.goldMasterKey, let masterKey = try? StorageKey(masterText) else {
            throw PermanentFailure("source \(target.sourceID) of clip \(id) has no gold master to take stills from")
        }
        let master = try SharedMasters.shared.acquire(masterKey, storage: services.storage, scratch: services.scratch)
        defer { SharedMasters.shared.release(masterKey) }
        let wanted = strategy.frames(start: target.startFrame, end: target.endFrame)
        let stills = try takeStills(master: master.path, frames: wanted.map(\.frame), key: masterKey, source: target.sourceID)
        context.progress(0.5)
        let folder = try context.freshScratchFolder("keyframes")
        defer { try? FileManager.default.removeItem(at: folder) }
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

    /// The stills, or the reason there are none: a master that is missing or damaged fails for
    /// good (and its local copy is dropped); anything else is retried.
    private static func takeStills(master path: String, frames: [Int], key: StorageKey, source: Int64) throws -> [Media.Keyframe] {
        do {
            return try KeyframeExtractor(master: path).stills(frames: frames)
        } catch {
            SharedMasters.shared.forget(key)
            switch error {
            case .fileNotFound, .notMedia, .noVideoStream, .undecodable:
                throw PermanentFailure("the gold master of source \(source) gives no stills: \(error)")
            default:
                throw error
            }
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
