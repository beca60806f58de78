import Database
import Domain
import Foundation
import Media
import Queue
import Storage
import Support

/// Export: an approved clip (its undo window passed) encoded from the source's gold master —
/// never the proxy — frame-exact, as H.264 + AAC in MP4 with the index up front, with the
/// configured profile. The file goes to `clips/<clip>/<profile>.mp4` (a rerun replaces the
/// same object, so nothing is stored twice); the clip becomes physical in the transaction
/// that marks it `exported`.
enum ExportStage {
    static func work(_ context: StageContext) throws -> StageResult {
        let services = context.services
        let id = context.job.subjectID
        let settings = services.settings
        guard let profile = settings.exportProfiles[settings.exportProfile] else {
            let known = settings.exportProfiles.keys.sorted().joined(separator: ", ")
            throw PermanentFailure("export profile \"\(settings.exportProfile)\" does not exist (known: \(known)); "
                + "set [export] profile or declare [export.profiles.\(settings.exportProfile)]")
        }
        guard let target = try ClipOutputQueries.target(services.database, clipID: id) else {
            throw PermanentFailure("clip \(id) no longer exists or was replaced by a merge or split")
        }
        guard let masterText = target.goldMasterKey, let masterKey = try? StorageKey(masterText) else {
            throw PermanentFailure("source \(target.sourceID) of clip \(id) has no gold master to export from")
        }
        let master = try SharedMasters.shared.acquire(masterKey, storage: services.storage, scratch: services.scratch)
        defer { SharedMasters.shared.release(masterKey) }
        context.progress(0.02)

        let folder = try context.freshScratchFolder("export")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("\(profile.name).mp4")
        let exported: ExportedClip
        do {
            exported = try ClipExporter(master: master.path).export(
                startFrame: target.startFrame, endFrame: target.endFrame, profile: profile, output: output.path,
                progress: { context.progress(0.02 + 0.9 * $0) }, isCancelled: context.isCancelled)
        } catch let error as MediaError {
            if case .cancelled = error { throw JobInterruption() }
            // The master may have been damaged in the local copy: fetch it again next attempt.
            SharedMasters.shared.forget(masterKey)
            switch error {
            case .fileNotFound, .notMedia, .noVideoStream, .undecodable:
                throw PermanentFailure("the gold master of source \(target.sourceID) cannot be exported from: \(error)")
            default:
                throw error
            }
        }
        let key = try StorageKey("clips/\(id)/\(profile.name).mp4")
        try services.storage.put(file: output, key: key)
        Failpoint.hit("export-stored")
        context.progress(1)
        let record = try JSONText(encoding: Record(
            profile: profile.name, crf: profile.crf, frames: exported.frames, width: exported.width, height: exported.height,
            audio: exported.hasAudio, bytes: exported.bytes, masterKey: masterKey.value))
        return StageResult(json: record.text) { tx in
            try ClipOutputQueries.recordExport(tx, clipID: id, key: key.value, export: record.text)
        }
    }

    /// What the job's result and the clip's `processing_metadata.export` record.
    struct Record: Encodable {
        var profile: String
        var crf: Int
        var frames: Int
        var width: Int
        var height: Int
        var audio: Bool
        var bytes: Int64
        var masterKey: String

        enum CodingKeys: String, CodingKey {
            case profile, crf, frames, width, height, audio, bytes
            case masterKey = "master_key"
        }
    }
}
