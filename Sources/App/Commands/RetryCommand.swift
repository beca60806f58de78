import ArgumentParser
import Database
import Foundation
import Pipeline
import Queue

/// `heaters retry`: runs failed jobs again.
struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Run a discarded or cancelled job again, or every discarded job.",
        discussion: """
            A job is discarded when it used up its attempts; its error history stays on the \
            row (`heaters status`, `heaters jobs --state discarded`). Retrying makes it \
            available again with a fresh set of attempts, and the next free worker claims it.

            Give exactly one of ID or --all-failed. `heaters retry ID` takes a discarded or \
            cancelled job; any other state is refused with a message naming it. \
            --all-failed retries every discarded job except those whose stage and subject \
            already have a live job (that one is doing the work).
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The id of a discarded or cancelled job.", valueName: "id")) var id: Int64?
    @Flag(name: .customLong("all-failed"), help: "Retry every discarded job.") var allFailed = false
    @Flag(help: "Print one JSON object ({\"retried\": [ids]}) instead of text.") var json = false

    /// What `--json` prints.
    struct Outcome: Encodable {
        var retried: [Int64]
    }

    func validate() throws {
        switch (id, allFailed) {
        case (nil, false): throw ValidationError("give a job id, or --all-failed to retry every discarded job")
        case (.some, true): throw ValidationError("give either a job id or --all-failed, not both")
        default: break
        }
    }

    func run() async throws {
        try await reportingErrors {
            let database = try DatabaseServer.forConfig(try global.load())
            let db = try await database.prepareConnection()
            if let id {
                let job = try retryOne(db, id: id)
                print(json ? try CommandOutput.json(Outcome(retried: [id]))
                      : "job \(id) (\(job.stage), \(CommandOutput.subject(job.subjectType, job.subjectID))) is available again, with \(CommandOutput.count(job.maxAttempts, "attempt"))")
            } else {
                let ids = try JobQueue.retryAllDiscarded(db, subjects: StageTable.transitions)
                let left = try StatusQueries.jobs(db, state: .discarded, limit: 1).matching
                if json {
                    print(try CommandOutput.json(Outcome(retried: ids)))
                } else {
                    print(ids.isEmpty ? "no discarded jobs to retry"
                          : "retried \(CommandOutput.count(ids.count, "job")): \(ids.map(String.init).joined(separator: ", "))")
                    if left > 0 {
                        print("\(CommandOutput.count(left, "discarded job")) left: a live job of the same stage and subject exists")
                    }
                }
            }
        }
    }

    /// Retries job `id`, or fails saying why it cannot be.
    private func retryOne(_ db: PostgresConnection, id: Int64) throws -> JobSummary {
        guard let job = try StatusQueries.job(db, id: id) else {
            throw CommandFailure("there is no job \(id) (heaters jobs --state discarded lists the failed ones)")
        }
        guard job.state == .discarded || job.state == .cancelled else {
            throw CommandFailure("job \(id) is \(job.state.rawValue), not failed: only discarded or cancelled jobs can be retried")
        }
        let retried: Bool
        do {
            retried = try JobQueue.retry(db, id: id, subjects: StageTable.transitions)
        } catch let error as DatabaseError where error.sqlState == SQLState.uniqueViolation {
            let live = try StatusQueries.liveSibling(db, of: id)
            throw CommandFailure("job \(id) cannot be retried: \(live.map { "job \($0)" } ?? "another job") of stage \(job.stage) "
                                 + "for \(CommandOutput.subject(job.subjectType, job.subjectID)) is already queued or running")
        }
        guard retried else {
            let now = try StatusQueries.job(db, id: id)?.state.rawValue ?? "gone"
            throw CommandFailure("job \(id) changed meanwhile (now \(now)); it was not retried")
        }
        return job
    }
}
