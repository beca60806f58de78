import ArgumentParser
import Database
import Foundation
import Pipeline
import Queue
import Support

/// `heaters cancel`: stops a job for good, until it is retried.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a queued or running job; heaters retry ID runs it again.",
        discussion: """
            A queued job is taken off the queue; a running one stops at its worker's next \
            heartbeat (a few seconds) and its partial work is thrown away. The job's source \
            video or clip is marked failed at that stage with "cancelled", so the pipeline \
            does not queue the work again by itself; `heaters retry ID` brings back the job \
            and its subject. A finished job cannot be cancelled, nor a job landing a merge or \
            split (undo the review action instead).
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The id of a queued or running job (heaters jobs lists them).", valueName: "id")) var id: Int64
    @Flag(help: "Print one JSON object ({\"cancelled\": id}) instead of text.") var json = false

    struct Outcome: Encodable {
        var cancelled: Int64
    }

    func run() async throws {
        try await reportingErrors {
            let database = try DatabaseServer.forConfig(try global.load())
            let db = try await database.prepareConnection()
            guard let job = try StatusQueries.job(db, id: id) else {
                throw CommandFailure("there is no job \(id) (heaters jobs lists them)")
            }
            guard job.stage != ReviewService.landingStage else {
                throw CommandFailure("job \(id) lands a merge or split; undo the review action instead "
                                     + "(heaters clip undo ACTION, or u in the station), which also stops its landing")
            }
            let message = "cancelled by \(LoginName.current): heaters retry \(id) runs it again"
            guard try JobQueue.cancel(db, id: id, message: message, subjects: StageTable.transitions) else {
                let now = try StatusQueries.job(db, id: id)?.state.rawValue ?? job.state.rawValue
                throw CommandFailure("job \(id) is \(now): only a queued or running job can be cancelled")
            }
            print(json ? try CommandOutput.json(Outcome(cancelled: id))
                  : "job \(id) (\(job.stage), \(CommandOutput.subject(job.subjectType, job.subjectID))) is cancelled; "
                    + "heaters retry \(id) runs it again")
        }
    }
}
