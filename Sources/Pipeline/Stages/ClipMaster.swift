import Database
import Foundation
import Media
import Queue
import Storage

/// The gold master of a clip's source, for the stages that read it (export, keyframes): the
/// clip's cut points and the master's local file, shared with the source's other clips.
struct ClipMaster {
    let target: ClipOutputQueries.Target
    let key: StorageKey
    let file: URL

    /// The clip and its master's file, held until `release`; a permanent failure naming the
    /// reason when the clip is gone or its source has no master.
    static func open(_ context: StageContext, for purpose: String) throws -> ClipMaster {
        let services = context.services
        let id = context.job.subjectID
        guard let target = try ClipOutputQueries.target(services.database, clipID: id) else {
            throw PermanentFailure("clip \(id) no longer exists or was replaced by a merge or split")
        }
        guard let text = target.goldMasterKey, let key = try? StorageKey(text) else {
            throw PermanentFailure("source \(target.sourceID) of clip \(id) has no gold master to \(purpose)")
        }
        let file = try SharedMasters.shared.acquire(key, storage: services.storage, scratch: services.scratch)
        return ClipMaster(target: target, key: key, file: file)
    }

    func release() { SharedMasters.shared.release(key) }

    /// What a media error reading the master becomes: a cancelled read hands the job back; a
    /// missing or damaged master fails for good (and its local copy, which may be the damaged
    /// one, is dropped, so a retry fetches it again); anything else is retried.
    func failure(_ error: MediaError, _ outcome: String) -> any Error {
        if case .cancelled = error { return JobInterruption() }
        SharedMasters.shared.forget(key)
        switch error {
        case .fileNotFound, .notMedia, .noVideoStream, .undecodable:
            return PermanentFailure("the gold master of source \(target.sourceID) \(outcome): \(error)")
        default:
            return error
        }
    }
}

extension StageSettings {
    /// The setting `name` among `known`, or a permanent failure listing the known names and
    /// saying where to choose one (`setting`) or declare this one (`table`).
    static func named<Value>(_ name: String, in known: [String: Value], kind: String, setting: String, table: String) throws -> Value {
        guard let value = known[name] else {
            throw PermanentFailure("\(kind) \"\(name)\" does not exist (known: \(known.keys.sorted().joined(separator: ", "))); "
                + "set \(setting) or declare [\(table).\(name)]")
        }
        return value
    }
}
