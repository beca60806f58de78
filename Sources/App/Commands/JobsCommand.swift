import ArgumentParser
import Database
import Domain
import Foundation

/// `heaters jobs`: the job queue, newest first.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List jobs, newest first, optionally only those in one state or of one stage.",
        discussion: """
            Each line shows the job's id, stage, queue, subject (the source video or clip it \
            works on), state, attempts used of the maximum, when it is or was scheduled, and \
            the last error it recorded, cut to one line.

            Job states: \(Self.validStates). `failed` is accepted for `discarded` (a job that \
            used up its attempts); `heaters retry ID` runs such a job again.

            --json prints one JSON object: jobs (the listed jobs, with their full last error) \
            and matching (how many jobs match the filters, beyond --limit too).
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Only jobs in this state (\(Self.validStates); failed = discarded).", valueName: "state"),
            transform: Self.parseState)
    var state: JobState?
    @Option(help: ArgumentHelp("Only jobs of this stage, e.g. download.", valueName: "name"))
    var stage: String?
    @Option(help: "How many jobs to list at most.") var limit = 50
    @Flag(help: "Print one JSON object instead of text.") var json = false

    static var validStates: String { JobState.allCases.map(\.rawValue).joined(separator: ", ") }

    static func parseState(_ text: String) throws -> JobState {
        let name = text.lowercased()
        if name == "failed" { return .discarded }
        guard let state = JobState(rawValue: name) else {
            throw ValidationError("unknown job state \"\(text)\"; valid states: \(validStates) (or failed, meaning discarded)")
        }
        return state
    }

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        try await reportingErrors {
            let database = try DatabaseServer.forConfig(try global.load())
            let listing = try StatusQueries.jobs(try await database.prepareConnection(), state: state, stage: stage, limit: limit)
            print(json ? try CommandOutput.json(listing) : text(listing))
        }
    }

    func text(_ listing: JobListing) -> String {
        let what = [state.map { "\($0.rawValue) " } ?? "", "jobs", stage.map { " of stage \($0)" } ?? ""].joined()
        guard !listing.jobs.isEmpty else { return "no \(what)" }
        let header = ["id", "stage", "queue", "subject", "state", "attempt", "scheduled", "last error"]
        let rows = listing.jobs.map { job in
            ["\(job.id)", job.stage, job.queue, CommandOutput.subject(job.subjectType, job.subjectID), job.state.rawValue,
             "\(job.attempt)/\(job.maxAttempts)", CommandOutput.time(job.scheduledAt), CommandOutput.oneLine(job.lastError)]
        }
        var lines = CommandOutput.table([header] + rows, rightAligned: [0])
        if listing.matching > listing.jobs.count {
            lines.append("showing the newest \(listing.jobs.count) of \(listing.matching) \(what) (--limit shows more)")
        }
        return lines.joined(separator: "\n")
    }
}
