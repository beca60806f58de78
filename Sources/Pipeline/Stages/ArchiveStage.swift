import Database
import Foundation
import Queue
import Storage
import Support

/// Archive: a clip archived by review (withdrawn, if it was published), once its undo window
/// has passed, becomes `archived`. Its row stays as a tombstone — review log, lineage and place
/// in the source's partition kept — and its file, keyframes and embeddings are deleted in the
/// safe order: first the database, queueing the storage keys in an outbox in the same
/// transaction; then the objects, each outbox row with its object. A crash in between leaves
/// the outbox rows, which the retry of this job deletes; only keys of this clip (its rows and
/// its own `clips/<id>/` prefix) are ever queued, and the database refuses to queue a key of a
/// clip that is not archived.
enum ArchiveStage {
    static func work(_ context: StageContext) throws -> StageResult {
        let services = context.services
        let id = context.job.subjectID
        // Objects under the clip's prefix that no row names (an export profile changed between
        // attempts, a keyframe strategy changed) would be orphans: they go too.
        let prefix = "clips/\(id)/"
        let found = try services.storage.list(prefix: prefix).map(\.value).filter { $0.hasPrefix(prefix) }
        guard let deletions = try ArchiveQueries.withdraw(services.database, clipID: id, alsoKeys: found) else {
            // Undone before the job ran: nothing is touched, and the clip keeps its state.
            return StageResult(json: "{\"archived\": false, \"reason\": \"the clip is no longer archived\"}")
        }
        Failpoint.hit("archive-committed")
        for (index, deletion) in deletions.enumerated() {
            if context.isCancelled() { throw JobInterruption() }
            try services.storage.delete(key: try StorageKey(deletion.key))
            try ArchiveQueries.done(services.database, deletion)
            context.progress(Double(index + 1) / Double(deletions.count))
        }
        let result = try JSONText(encoding: Result(archived: true, deleted: deletions.map(\.key)))
        return StageResult(json: result.text)
    }

    struct Result: Encodable {
        var archived: Bool
        var deleted: [String]
    }
}
