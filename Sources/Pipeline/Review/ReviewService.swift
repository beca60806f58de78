import Database
import Domain
import Foundation
import Queue
import Support

/// The review engine's writer: applies the Domain's review rules to the database, one
/// transaction per call, for the review station and `heaters clip …` alike. It holds no rule
/// of its own: it loads and locks the clips a decision names (and their neighbours), asks
/// `ReviewRules`, writes what they return, and logs it.
///
/// approve, skip, archive, group and tag apply at once; merge and split are logged, their
/// clips held, and a `land_review` job scheduled an undo window ahead. Every decision starts
/// the clips' undo window, which the dispatcher waits for before a later stage takes them.
public struct ReviewService: Sendable {
    public let database: PostgresConnection
    /// Who decides: the log's `reviewer`.
    public let reviewer: String
    /// The reviewer session (a station's terminal); nil from the command line.
    public let sessionID: String?
    /// Seconds a decision can be undone before the pipeline acts on it.
    public let undoSeconds: Double

    /// The stage that lands scheduled merges and splits, and its queue.
    public static let landingStage = "land_review"
    public static let queue = "review"

    public init(database: PostgresConnection, reviewer: String, sessionID: String? = nil, undoSeconds: Double) {
        self.database = database
        self.reviewer = reviewer
        self.sessionID = sessionID
        self.undoSeconds = undoSeconds
    }

    // MARK: - Deciding

    /// Applies `decisions` together (one batch when there are several: all or none, undone
    /// together). `seen` holds the clip versions the reviewer saw; `requestID` makes a retry
    /// of the same request change nothing; `force` decides clips another live session holds.
    public func decide(_ decisions: [ReviewDecision], seen: [Int64: Int] = [:], requestID: UUID? = nil,
                       force: Bool = false) throws -> ReviewReceipt {
        guard !decisions.isEmpty else { throw ReviewError("no decision to apply") }
        if let requestID {
            let earlier = try ReviewActionQueries.byRequest(database, requestID)
            if !earlier.isEmpty { return receipt(for: earlier, replayed: true) }
        }
        let named = decisions.flatMap(\.clips)
        if let twice = Dictionary(grouping: named, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw ReviewError("clip \(twice) appears in two decisions of one batch: decide it once")
        }
        if !force, let holder = try ReviewSessionQueries.heldByOthers(database, clips: named, session: sessionID).first {
            throw ReviewError("clip \(holder.clipID) is being reviewed by \(holder.reviewer) (a session on \(holder.host)): "
                              + "leave it to them, or pass --force to decide it anyway")
        }
        let batch = decisions.count > 1 ? UUID() : nil
        do {
            return try database.transaction { tx in
                var actions: [ReviewReceipt.Action] = []
                for (seq, decision) in decisions.enumerated() {
                    actions.append(try apply(decision, seen: seen, batch: batch, request: requestID, seq: seq, on: tx))
                }
                return ReviewReceipt(actions: actions, batchID: batch, replayed: false)
            }
        } catch let error as DatabaseError where error.sqlState == SQLState.uniqueViolation && requestID != nil {
            // The same request applied concurrently: it won, this one changed nothing.
            return receipt(for: try ReviewActionQueries.byRequest(database, requestID!), replayed: true)
        }
    }

    private func apply(_ decision: ReviewDecision, seen: [Int64: Int], batch: UUID?, request: UUID?, seq: Int,
                       on tx: PostgresConnection) throws -> ReviewReceipt.Action {
        let clips = try ReviewClipQueries.neighbourhood(tx, of: decision.clips)
        for id in decision.clips { try requireLive(id, in: clips, on: tx) }
        let outcome: ReviewOutcome
        switch ReviewRules.decide(decision, clips: clips, seen: seen) {
        case .success(let value): outcome = value
        case .failure(let refusal): throw try explained(refusal, on: tx)
        }
        let primary = clips.first { $0.id == decision.clip }!
        let newState = outcome.updates.first { $0.clip == decision.clip }?.after.state ?? primary.state
        let logged = try ReviewActionQueries.insert(tx, .init(
            action: decision.kind.rawValue, clipID: decision.clip, reviewer: reviewer, sessionID: sessionID, batchID: batch,
            requestID: request, requestSeq: seq, previousState: primary.state.rawValue, newState: newState.rawValue,
            payload: try JSONText(encoding: StoredReview(outcome: outcome, created: [])), settleSeconds: undoSeconds))
        if decision.isScheduled {
            try ReviewActionQueries.hold(tx, clips: outcome.touched, action: logged.id)
            try ReviewActionQueries.recordClips(tx, action: logged.id, outcome.touched.map {
                .init(clipID: $0, created: false, versionAfter: nil)
            })
            let job = try JobQueue.enqueue(tx, NewJob(stage: Self.landingStage, queue: Self.queue,
                                                      subjectType: SubjectKind.reviewAction.rawValue, subjectID: logged.id,
                                                      runAt: logged.settlesAt))
            if let job { try ReviewActionQueries.setJob(tx, action: logged.id, job: job) }
            return .init(id: logged.id, action: decision.kind.rawValue, clip: decision.clip, scheduled: true, jobID: job,
                         settlesAt: logged.settlesAt)
        }
        let versions = try write(outcome.updates, over: clips, settleSeconds: undoSeconds, on: tx)
        try ReviewActionQueries.recordClips(tx, action: logged.id, versions)
        return .init(id: logged.id, action: decision.kind.rawValue, clip: decision.clip, scheduled: false, jobID: nil,
                     settlesAt: logged.settlesAt)
    }

    /// Unknown and retired clips get their own message: a retired one names its replacements.
    private func requireLive(_ id: Int64, in clips: [ReviewClip], on tx: PostgresConnection) throws {
        guard let clip = clips.first(where: { $0.id == id }) else {
            throw ReviewError("there is no clip \(id) (heaters clip list shows the live ones)")
        }
        guard clip.isRetired else { return }
        let now = try ReviewClipQueries.replacements(tx, of: id)
        throw ReviewError("clip \(id) was retired by a merge or split"
                          + (now.isEmpty ? "" : "; its frames are in clip\(now.count == 1 ? "" : "s") "
                             + now.map(String.init).joined(separator: ", ") + " now"))
    }

    /// A refusal with who or what changed the clip that blocks it.
    private func explained(_ refusal: ReviewRefusal, on db: PostgresConnection, after: Int64 = 0) throws -> ReviewError {
        guard let clip = refusal.clip, let last = try ReviewActionQueries.lastTouch(db, clip: clip, after: after) else {
            return ReviewError(refusal.message)
        }
        let ago = max(0, Int(Date().timeIntervalSince(last.createdAt).rounded()))
        let who = last.reviewer == reviewer ? "you" : last.reviewer
        return ReviewError(refusal.message + " — last changed by \(who): \(last.action) (action \(last.id), \(ago) s ago)")
    }

    private func receipt(for rows: [ReviewActionRow], replayed: Bool) -> ReviewReceipt {
        ReviewReceipt(actions: rows.map {
            .init(id: $0.id, action: $0.action, clip: $0.clipID, scheduled: $0.action == "merge" || $0.action == "split",
                  jobID: $0.jobID, settlesAt: $0.settlesAt ?? $0.createdAt)
        }, batchID: rows.first?.batchID, replayed: replayed)
    }

    /// A log row as a reviewer reads it: "approve 1230", "split 1229 @f57", "merge 1220+1221".
    public static func summary(of row: ReviewActionRow) -> String {
        guard let stored = try? row.payload.decode(StoredReview.self) else { return "\(row.action) \(row.clipID)" }
        switch stored.outcome.decision {
        case .split(let clip, let frame): return "split \(clip) @f\(frame)"
        case .merge(let clip, let other): return "merge \(min(clip, other))+\(max(clip, other))"
        case .group(let clip, let other): return "group \(clip) with \(other)"
        case .tag(let clip, let tag): return "tag \(clip) #\(tag)"
        case .untag(let clip, let tag): return "untag \(clip) #\(tag)"
        default: return "\(row.action) \(row.clipID)"
        }
    }

    // MARK: - Undoing

    /// Undoes action `id` (default: this reviewer's newest decision not undone), with the
    /// rest of its batch. A scheduled merge or split that has not landed is cancelled; one
    /// that landed is reverted while its new clips are undecided. Refused, naming the clip and
    /// who changed it, when anything it touched changed since.
    public func undo(_ id: Int64? = nil) throws -> UndoReceipt {
        guard let target = try id ?? ReviewActionQueries.latestUndoable(database, reviewer: reviewer) else {
            throw ReviewError("nothing to undo: \(reviewer) has no decision that is not undone")
        }
        guard let row = try ReviewActionQueries.action(database, id: target) else {
            throw ReviewError("there is no review action \(target) (heaters clip log lists them)")
        }
        guard row.action != ReviewActionKind.undo.rawValue else {
            throw ReviewError("action \(target) is an undo; an undo cannot be undone (decide again instead)")
        }
        let ids = try row.batchID.map { try ReviewActionQueries.batch(database, $0) } ?? [target]
        return try database.transaction { tx in
            let actions = try ReviewActionQueries.locked(tx, ids: ids)
            for action in actions {
                if let undoneBy = action.undoneBy { throw ReviewError("action \(action.id) was undone already (by action \(undoneBy))") }
                if action.failedAt != nil {
                    throw ReviewError("action \(action.id) failed and changed nothing: \(action.error ?? "no message")")
                }
            }
            let logged = try ReviewActionQueries.insert(tx, .init(
                action: ReviewActionKind.undo.rawValue, clipID: row.clipID, reviewer: reviewer, sessionID: sessionID,
                batchID: nil, requestID: nil, requestSeq: 0, previousState: nil, newState: nil,
                payload: try JSONText(encoding: StoredUndo(undid: ids)), settleSeconds: 0))
            var receipt = UndoReceipt(id: logged.id, undid: ids, cancelled: [], revived: [], retired: [])
            for action in actions.reversed() {
                if action.isPending {
                    if let job = action.jobID { _ = try JobQueue.cancel(tx, id: job) }
                    try ReviewActionQueries.release(tx, action: action.id)
                    receipt.cancelled.append(action.id)
                } else {
                    try revert(action, undo: logged.id, into: &receipt, on: tx)
                }
            }
            try ReviewActionQueries.markUndone(tx, actions: ids, by: logged.id)
            return receipt
        }
    }

    private func revert(_ action: ReviewActionRow, undo: Int64, into receipt: inout UndoReceipt, on tx: PostgresConnection) throws {
        let stored = try action.payload.decode(StoredReview.self)
        let recorded = try ReviewActionQueries.clips(tx, action: action.id)
        let versions = Dictionary(recorded.compactMap { clip in clip.versionAfter.map { (clip.clipID, $0) } },
                                  uniquingKeysWith: { a, _ in a })
        let current = try ReviewClipQueries.locked(tx, ids: recorded.map(\.clipID))
        let inverse: ReviewInverse
        switch ReviewRules.undo(stored.outcome, createdIDs: stored.created, versionsAfter: versions, clips: current) {
        case .success(let value): inverse = value
        case .failure(let refusal): throw try explained(refusal, on: tx, after: action.id)
        }
        var touched = try write(inverse.updates, over: current, settleSeconds: nil, on: tx)
        for id in inverse.retire {
            let version = try ReviewClipQueries.retire(tx, clip: id, reason: "undo")
            touched.append(.init(clipID: id, created: false, versionAfter: version))
            receipt.retired.append(id)
        }
        for id in inverse.revive {
            let version = try ReviewClipQueries.revive(tx, clip: id)
            touched.append(.init(clipID: id, created: false, versionAfter: version))
            receipt.revived.append(id)
        }
        if !stored.created.isEmpty { try ReviewClipQueries.undoLineage(tx, action: action.id) }
        try ReviewActionQueries.recordClips(tx, action: undo, touched)
    }

    /// Writes clip updates, each against the version the rules saw (the rows are locked, so a
    /// mismatch means a bug or a manual edit; it fails the transaction rather than guess).
    private func write(_ updates: [ClipUpdate], over clips: [ReviewClip], settleSeconds: Double?,
                       on tx: PostgresConnection) throws -> [ReviewActionQueries.ActionClip] {
        try updates.map { update in
            let seen = clips.first { $0.id == update.clip }!.version
            guard let version = try ReviewClipQueries.update(tx, clip: update.clip, to: update.after, version: seen,
                                                             reviewer: reviewer, settleSeconds: settleSeconds) else {
                throw ReviewError("clip \(update.clip) changed while the change was being written; look again and retry")
            }
            return .init(clipID: update.clip, created: false, versionAfter: version)
        }
    }

    // MARK: - Landing

    /// Lands scheduled merge or split `action` in one transaction: the originals retired, the
    /// new clips inserted, lineage recorded, the holds released. Idempotent: an action that
    /// landed, failed or was undone is left alone, so a retried job changes nothing twice.
    public static func land(_ db: PostgresConnection, action id: Int64) throws -> LandingResult {
        try db.transaction { tx in
            guard let action = try ReviewActionQueries.locked(tx, ids: [id]).first else {
                return .nothingToDo("there is no review action \(id)")
            }
            guard action.isPending else {
                return .nothingToDo("action \(id) was \(action.undoneAt != nil ? "undone" : action.landedAt != nil ? "landed" : "failed") already")
            }
            let stored = try action.payload.decode(StoredReview.self)
            try ReviewActionQueries.release(tx, action: id)
            let clips = try ReviewClipQueries.neighbourhood(tx, of: stored.outcome.decision.clips)
            let outcome: ReviewOutcome
            switch ReviewRules.decide(stored.outcome.decision, clips: clips) {
            case .success(let value): outcome = value
            case .failure(let refusal):
                try ReviewActionQueries.markFailed(tx, action: id, error: refusal.message)
                return .failed(refusal.message)
            }
            guard let source = clips.first(where: { $0.id == outcome.decision.clip })?.sourceID else {
                return .failed("clip \(outcome.decision.clip) is gone")
            }
            let fps = try ReviewClipQueries.framesPerSecond(tx, sourceID: source)
            let reason = outcome.decision.kind.rawValue
            var recorded: [ReviewActionQueries.ActionClip] = []
            for clip in outcome.retired {
                let version = try ReviewClipQueries.retire(tx, clip: clip, reason: reason)
                recorded.append(.init(clipID: clip, created: false, versionAfter: version))
            }
            var created: [Int64] = []
            for draft in outcome.created {
                let clip = try ReviewClipQueries.create(tx, sourceID: source, draft: draft, framesPerSecond: fps)
                created.append(clip)
                recorded.append(.init(clipID: clip, created: true, versionAfter: 1))
            }
            try ReviewClipQueries.recordLineage(tx, parents: outcome.retired, children: created, operation: reason, action: id)
            try ReviewActionQueries.recordClips(tx, action: id, recorded)
            // A test kills the worker here: the transaction must roll back whole.
            Failpoint.hit("review-land")
            try ReviewActionQueries.markLanded(tx, action: id, payload: try JSONText(encoding: StoredReview(outcome: outcome,
                                                                                                             created: created)))
            return .landed(created: created)
        }
    }

    /// A landing job that used up its attempts: the action shows the failure, its clips are
    /// released (undecided, as before the merge or split).
    public static func landingFailed(_ db: PostgresConnection, action id: Int64, message: String) throws {
        try ReviewActionQueries.markFailed(db, action: id, error: message)
        try ReviewActionQueries.release(db, action: id)
    }
}
