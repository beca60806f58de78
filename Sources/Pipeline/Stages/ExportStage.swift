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
        let profile = try StageSettings.named(settings.exportProfile, in: settings.exportProfiles, kind: "export profile",
                                              setting: "[export] profile", table: "export.profiles")
        let master = try ClipMaster.open(context, for: "export from")
        defer { master.release() }
        let target = master.target
        context.progress(0.02)

        let folder = try context.freshScratchFolder("export")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("\(profile.name).mp4")
        let exported: ExportedClip
        do {
            exported = try ClipExporter(master: master.file.path).export(
                startFrame: target.startFrame, endFrame: target.endFrame, profile: profile, output: output.path,
                progress: { context.progress(0.02 + 0.9 * $0) }, isCancelled: context.isCancelled)
        } catch {
            throw master.failure(error, "cannot be exported from")
        }
        let key = try StorageKey("clips/\(id)/\(profile.name).mp4")
        try services.storage.put(file: output, key: key)
        Failpoint.hit("export-stored")
        context.progress(1)
        let record = try JSONText(encoding: Record(
            profile: profile.name, crf: profile.crf, frames: exported.frames, width: exported.width, height: exported.height,
            audio: exported.hasAudio, bytes: exported.bytes, masterKey: master.key.value))
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
