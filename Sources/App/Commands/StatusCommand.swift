import ArgumentParser
import Database
import Domain
import Foundation

/// `heaters status`: how much is where in the pipeline, and what failed.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show counts by state for source videos, clips and jobs, and the failed items with their last error.",
        discussion: """
            Counts source videos, live clips (not those retired by a merge or split) and jobs \
            by state, and jobs by stage and state. Then lists what failed: source videos and \
            clips in a *_failed state with their error message, and discarded jobs (attempts \
            used up) with the last error of their error history. Each failed list shows the \
            newest \(StatusQueries.defaultFailedLimit) items.

            `heaters jobs --state discarded` lists the failed jobs in full; `heaters retry ID` \
            or `heaters retry --all-failed` brings them back.

            --json prints one JSON object: sourceVideos, clips and jobs each hold total and \
            byState (every state, zeros included); jobs also holds byStage; failed holds \
            sourceVideos, clips and jobs; recovering lists live jobs retried after their worker \
            was lost or put off by an outage (losses, maxLosses, outages, maxOutages, lastError, \
            retriesAt).
            """)
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func run() async throws {
        try await reportingErrors {
            let database = try DatabaseServer.forConfig(try global.load())
            let status = try StatusQueries.pipelineStatus(try await database.prepareConnection())
            print(json ? try CommandOutput.json(status) : Self.text(status))
        }
    }

    private static func again(_ job: RecoveringJob) -> String {
        job.retriesAt.map { "again at \(CommandOutput.time($0))" } ?? "running again"
    }

    static func text(_ status: PipelineStatus) -> String {
        var rows = [countRow("source videos", status.sourceVideos), countRow("clips", status.clips),
                    countRow("jobs", status.jobs.all)]
        for stage in status.jobs.byStage.keys.sorted() {
            rows.append(countRow("  " + stage, status.jobs.byStage[stage]!))
        }
        var lines = CommandOutput.table(rows, rightAligned: [1])
        lines += reviewLines(status.review)
        let lost = status.recovering.filter { $0.losses > 0 }
        if !lost.isEmpty {
            lines.append("")
            lines.append("retried after their worker was lost (crashed or killed; losses spend no attempts):")
            lines += CommandOutput.table(lost.map { job in
                ["\(job.id)", job.stage, "subject \(job.subjectID)", "lost \(job.losses) of \(job.maxLosses)", again(job)]
            }, rightAligned: [0], indent: "  ")
        }
        let waiting = status.recovering.filter { $0.outages > 0 }
        if !waiting.isEmpty {
            lines.append("")
            lines.append("put off by an outage (database, storage or disk unavailable; outages spend no attempts):")
            lines += CommandOutput.table(waiting.map { job in
                ["\(job.id)", job.stage, "subject \(job.subjectID)", "outage \(job.outages) of \(job.maxOutages)", again(job),
                 CommandOutput.oneLine(job.lastError ?? "(no message)")]
            }, rightAligned: [0], indent: "  ")
        }
        lines.append("")
        let failed = status.failed
        if failed.isEmpty {
            lines.append("nothing failed")
            return lines.joined(separator: "\n")
        }
        if !failed.sourceVideos.isEmpty {
            lines.append(heading("failed source videos", shown: failed.sourceVideos.count,
                                 total: failures(status.sourceVideos)))
            lines += CommandOutput.table(failed.sourceVideos.map { video in
                ["\(video.id)", video.state, CommandOutput.oneLine(video.title, limit: 30),
                 CommandOutput.oneLine(video.errorMessage ?? "(no message)")]
            }, rightAligned: [0], indent: "  ")
        }
        if !failed.clips.isEmpty {
            lines.append(heading("failed clips", shown: failed.clips.count, total: failures(status.clips)))
            lines += CommandOutput.table(failed.clips.map { clip in
                ["\(clip.id)", clip.state,
                 CommandOutput.oneLine(clip.sourceTitle, limit: 30) + " "
                    + String(format: "%.1f–%.1fs", clip.startSeconds, clip.endSeconds),
                 CommandOutput.oneLine(clip.errorMessage ?? "(no message)")]
            }, rightAligned: [0], indent: "  ")
        }
        if !failed.jobs.isEmpty {
            lines.append(heading("discarded jobs", shown: failed.jobs.count,
                                 total: status.jobs.all.byState[JobState.discarded.rawValue] ?? 0))
            lines += CommandOutput.table(failed.jobs.map { job in
                ["\(job.id)", job.stage, CommandOutput.subject(job.subjectType, job.subjectID),
                 "\(job.attempt)/\(job.maxAttempts)", CommandOutput.oneLine(job.lastError ?? "(no error recorded)")]
            }, rightAligned: [0], indent: "  ")
            lines.append("heaters retry ID (or --all-failed) runs discarded jobs again")
        }
        return lines.joined(separator: "\n")
    }

    /// Merges and splits waiting to land, decisions that can still be undone, and a warning
    /// when landings are overdue (no worker runs the review queue).
    static func reviewLines(_ review: ReviewStatus) -> [String] {
        var lines: [String] = []
        if !review.pending.isEmpty || review.settling > 0 {
            lines.append("")
            lines.append("review: \(CommandOutput.count(review.pending.count, "merge or split")) waiting to land, "
                         + "\(CommandOutput.count(review.settling, "decision")) inside the undo window")
            lines += CommandOutput.table(review.pending.map { p in
                ["\(p.action)", p.kind, "clip \(p.clip)", p.reviewer, "lands \(CommandOutput.time(p.landsAt))"
                    + (p.overdue ? " — overdue" : "")]
            } + review.settlingActions.map { s in
                ["\(s.action)", s.kind, "clip \(s.clip)", s.reviewer, "undo window until \(CommandOutput.time(s.settlesAt))"]
            }, rightAligned: [0], indent: "  ")
        }
        if review.overdue > 0 {
            lines.append("warning: \(CommandOutput.count(review.overdue, "merge or split")) should have landed more than "
                         + "\(Int(ReviewStatus.overdueSeconds)) s ago: no worker is running the review queue "
                         + "(start heaters --headless, or the review station, which runs workers)")
        }
        return lines
    }

    /// "clips  12  pending_review 10 · export_failed 2"; just the zero when there are none.
    private static func countRow(_ label: String, _ counts: StateCounts) -> [String] {
        [label, "\(counts.total)", counts.nonZero.map { "\($0.state) \($0.count)" }.joined(separator: " · ")]
    }

    private static func failures(_ counts: StateCounts) -> Int {
        counts.nonZero.filter { $0.state.hasSuffix("_failed") }.reduce(0) { $0 + $1.count }
    }

    private static func heading(_ title: String, shown: Int, total: Int) -> String {
        total > shown ? "\(title) (\(total), newest \(shown) shown)" : "\(title) (\(total))"
    }
}
