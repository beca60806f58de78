import ArgumentParser
import Database
import Foundation
import Support

/// `heaters clip claim`: a reviewer session for scripts, holding a run of pending clips.
struct ClipClaimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claim", abstract: "Claim a run of pending clips of one source for a reviewer session.",
        discussion: """
            Prints the session id and the clips it now holds; other sessions are not offered them \
            and `clip` decisions from elsewhere are refused without --force. Decide them with \
            --session ID; the claims last --lease seconds unless claimed again with the same \
            --session, and `heaters clip release --session ID` gives them up.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var reviewer: ReviewerOptions
    @Option(help: ArgumentHelp("Only clips of this source.", valueName: "id")) var source: Int64?
    @Option(help: "How many clips to claim.") var count = 10
    @Option(help: ArgumentHelp("Seconds the claims last without renewal.", valueName: "seconds")) var lease = 300.0
    @Flag(help: "Print JSON.") var json = false

    struct Claimed: Encodable {
        var session: String
        var reviewer: String
        var clips: [Int64]
    }

    func run() async throws {
        try await reportingErrors {
            guard count > 0, lease > 0 else { throw CommandFailure("--count and --lease must be positive") }
            let context = try await ClipContext.open(global, reviewer)
            let session: String
            if let given = reviewer.session {
                guard try ReviewSessionQueries.renew(context.db, id: given, leaseSeconds: lease) else {
                    throw CommandFailure("session \(given) has ended or expired: claim without --session for a new one")
                }
                session = given
            } else {
                session = UUID().uuidString.lowercased()
                try ReviewSessionQueries.open(context.db, id: session, reviewer: reviewer.name, host: HostName.current,
                                              pid: getpid(), leaseSeconds: lease)
            }
            let clips = try ReviewSessionQueries.claim(context.db, session: session, sourceID: source, count: count)
            if json {
                print(try CommandOutput.json(Claimed(session: session, reviewer: reviewer.name, clips: clips)))
            } else {
                print("session \(session): \(clips.isEmpty ? "no pending clip is free" : "holds clips " + clips.map(String.init).joined(separator: ", "))")
            }
        }
    }
}

/// `heaters clip release --session ID [CLIP…]`.
struct ClipReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release", abstract: "Give up a session's claims (all of them, ending the session, or the clips named).")
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("The session.", valueName: "id")) var session: String
    @Argument(help: "Clip ids (default: all, and the session ends).", transform: parseClipID) var ids: [Int64] = []

    func run() async throws {
        try await reportingErrors {
            let context = try await ClipContext.open(global)
            if ids.isEmpty {
                try ReviewSessionQueries.end(context.db, id: session)
                print("session \(session) ended; its clips are free")
            } else {
                try ReviewSessionQueries.release(context.db, session: session, clips: ids)
                print("released clips \(ids.map(String.init).joined(separator: ", "))")
            }
        }
    }
}
