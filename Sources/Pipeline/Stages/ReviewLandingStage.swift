import Database
import Foundation
import Queue

/// Lands a scheduled merge or split once its undo window has passed (the job's
/// `scheduled_at`); `ReviewService.land` does it in one transaction and is idempotent. A job
/// that fails for good releases the clips it held and marks its action failed.
enum ReviewLandingStage {
    static let stage = Stage(name: ReviewService.landingStage, subject: .reviewAction, queue: ReviewService.queue,
                             maxAttempts: 5, onDiscard: { tx, action, message in
                                 try ReviewService.landingFailed(tx, action: action, message: message)
                             }, work: work)

    static func work(_ context: StageContext) throws -> StageResult {
        switch try ReviewService.land(context.services.database, action: context.job.subjectID) {
        case .landed(let created):
            return StageResult(json: try JSONText(encoding: Result(landed: true, created: created, reason: nil)).text)
        case .nothingToDo(let reason):
            return StageResult(json: try JSONText(encoding: Result(landed: false, created: [], reason: reason)).text)
        case .failed(let reason):
            throw PermanentFailure(reason)
        }
    }

    /// The job's result.
    struct Result: Encodable {
        var landed: Bool
        var created: [Int64]
        var reason: String?
    }
}
