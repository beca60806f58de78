import Database
import Domain
import Foundation
import Media
import Pipeline
import Storage
import Support
import Synchronization
import Vision
import TUI

/// The review station's view of the database and storage: the Database module's named
/// queries and the review service on one connection of the station's own (the workers have
/// theirs), and a frame source per source, opened once and kept (its store keeps its
/// connections alive).
final class DatabaseReviewBackend: ReviewBackend {
    let connection: PostgresConnection
    let storage: any ObjectStore
    let reviewer: String
    let undoSeconds: Double
    /// The model `f` compares clips under (`[embeddings] model`).
    let similarityModel: String
    /// Seconds a session lives without renewal (the station renews every 10 s).
    let sessionLease = 30.0
    private let frameSources = Mutex<[Int64: FrameSource]>([:])

    init(connection: PostgresConnection, storage: any ObjectStore, reviewer: String, undoSeconds: Double,
         similarityModel: String = VisualDescriptor.modelName) {
        self.connection = connection
        self.storage = storage
        self.reviewer = reviewer
        self.undoSeconds = undoSeconds
        self.similarityModel = similarityModel
    }

    func startSession() throws -> String {
        let id = UUID().uuidString.lowercased()
        try ReviewSessionQueries.open(connection, id: id, reviewer: reviewer, host: HostName.current, pid: getpid(),
                                      leaseSeconds: sessionLease)
        return id
    }

    func renewSession(_ session: String) throws -> Bool {
        try ReviewSessionQueries.renew(connection, id: session, leaseSeconds: sessionLease)
    }

    func endSession(_ session: String) throws { try ReviewSessionQueries.end(connection, id: session) }

    func claim(session: String, around clip: QueueEntry?, count: Int) throws -> [Int64] {
        // From the clip before on: it is the one a merge or group would take.
        try ReviewSessionQueries.claim(connection, session: session, sourceID: clip?.sourceID,
                                       fromFrame: max(0, (clip?.startFrame ?? 1) - 1), count: count)
    }

    func queuePage(session: String?, after entry: QueueEntry?, filter: QueueFilter, limit: Int) throws -> QueuePage {
        let cursor = entry.map { ReviewQueue.Cursor(sourceID: $0.sourceID, startFrame: $0.startFrame) }
        let entries = try ReviewQueue.page(connection, after: cursor, session: session, sourceID: filter.sourceID,
                                           tag: filter.tag, limit: limit)
        let total = try ReviewQueue.count(connection, session: session, sourceID: filter.sourceID, tag: filter.tag)
        return QueuePage(entries: entries, total: total)
    }

    func entries(ids: [Int64]) throws -> [QueueEntry] { try ReviewQueue.entries(connection, ids: ids) }

    func neighbours(of clip: Int64) throws -> ClipNeighbours {
        let found = try ReviewQueue.neighbours(connection, of: clip)
        return ClipNeighbours(before: found.before, after: found.after)
    }

    func locate(clip: Int64?, source: Int64?, frame: Int?) throws -> QueueEntry? {
        if let clip { return try ReviewQueue.entries(connection, ids: [clip]).first }
        guard let source, let frame else { return nil }
        return try ReviewQueue.containing(connection, sourceID: source, frame: frame)
    }

    func decide(_ decisions: [ReviewDecision], seen: [Int64: Int], request: UUID, session: String?) throws -> DecisionReply {
        let service = ReviewService(database: connection, reviewer: reviewer, sessionID: session, undoSeconds: undoSeconds)
        do {
            let receipt = try service.decide(decisions, seen: seen, requestID: request)
            guard let first = receipt.actions.first else { return .applied("nothing to do") }
            if first.scheduled {
                let seconds = max(0, Int(first.settlesAt.timeIntervalSinceNow.rounded()))
                return .applied("\(first.action) of clip \(first.clip) lands in \(seconds) s (u undoes it)")
            }
            return .applied(receipt.actions.count == 1 ? "\(first.action) clip \(first.clip) (u undoes it)"
                            : "\(first.action) \(receipt.actions.count) clips as one batch (u undoes it)")
        } catch let error as ReviewError {
            return .refused(error.message)
        }
    }

    func undo(_ action: Int64?, session: String?) throws -> DecisionReply {
        let service = ReviewService(database: connection, reviewer: reviewer, sessionID: session, undoSeconds: undoSeconds)
        do {
            let receipt = try service.undo(action)
            if !receipt.cancelled.isEmpty { return .applied("cancelled before it landed: action \(receipt.cancelled.map(String.init).joined(separator: ", "))") }
            return .applied("undone: action \(receipt.undid.map(String.init).joined(separator: ", "))")
        } catch let error as ReviewError {
            return .refused(error.message)
        }
    }

    func tray(session: String?) throws -> [TrayItem] {
        let now = Date()
        return try ReviewActionQueries.log(connection, reviewer: reviewer, limit: 16).filter { $0.action != "undo" }.map { row in
            let status: TrayItem.Status
            if row.undoneAt != nil { status = .undone }
            else if row.failedAt != nil { status = .failed(row.error ?? "failed") }
            else if row.isPending { status = .scheduled }
            else if let settles = row.settlesAt, settles > now { status = .settling }
            else { status = .done }
            return TrayItem(actionID: row.id, summary: ReviewService.summary(of: row), settlesAt: row.settlesAt, status: status)
        }
    }

    func pipeline() throws -> PipelineSummary {
        let status = try StatusQueries.pipelineStatus(connection, failedLimit: 1)
        let sources = status.sourceVideos.byState
        var counts: [PipelineSummary.Count] = []
        for (state, label) in [("new", "waiting"), ("downloading", "downloading"), ("preprocessing", "preprocessing"),
                               ("detecting_scenes", "detecting scenes")] where (sources[state] ?? 0) > 0 {
            counts.append(.init(label, sources[state]!))
        }
        counts.append(.init("pending review", status.clips.byState[ClipState.pendingReview.rawValue] ?? 0))
        for (state, label) in [("exporting", "exporting"), ("review_approved", "approved")] where (status.clips.byState[state] ?? 0) > 0 {
            counts.append(.init(label, status.clips.byState[state]!))
        }
        let failed = status.sourceVideos.nonZero.filter { $0.state.hasSuffix("_failed") }.reduce(0) { $0 + $1.count }
            + status.clips.nonZero.filter { $0.state.hasSuffix("_failed") }.reduce(0) { $0 + $1.count }
        let running = try StatusQueries.running(connection).map { PipelineSummary.Running(stage: $0.stage, progress: $0.progress) }
        return PipelineSummary(counts: counts, failed: failed, running: running, reviewOverdue: status.review.overdue)
    }

    /// A clip with a vector is compared by it; one without (pending review: vectors come after
    /// export) by the built-in descriptor of its proxy frames at a quarter, half and three
    /// quarters, which is what the embed stage computes from the gold master's stills.
    func similar(to clip: Int64, limit: Int) throws -> SimilarClips {
        let model = similarityModel
        guard try EmbeddingQueries.registered(connection).contains(where: { $0.name == model }) else {
            throw ReviewError("no clip has a \(model) vector yet: clips are embedded after they are approved and exported")
        }
        let neighbours: [EmbeddingQueries.Neighbour]
        let basis: String
        if try EmbeddingQueries.models(connection, clipID: clip).contains(model) {
            neighbours = try EmbeddingQueries.similar(connection, clipID: clip, model: model, limit: limit)
            basis = "its vector"
        } else if model == VisualDescriptor.modelName {
            guard let entry = try ReviewQueue.entries(connection, ids: [clip]).first else {
                throw ReviewError("clip \(clip) is not live any more")
            }
            neighbours = try EmbeddingQueries.nearest(connection, vector: try proxyDescriptor(entry), model: model, limit: limit,
                                                      excluding: clip)
            basis = "its proxy frames"
        } else {
            throw ReviewError("clip \(clip) has no \(model) vector yet (it is embedded after export; heaters embed fills in)")
        }
        let entries = Dictionary(try ReviewQueue.entries(connection, ids: neighbours.map(\.clipID)).map { ($0.clipID, $0) },
                                 uniquingKeysWith: { first, _ in first })
        return SimilarClips(clip: clip, model: model, basis: basis, clips: neighbours.compactMap { neighbour in
            entries[neighbour.clipID].map { SimilarClip(entry: $0, distance: neighbour.distance) }
        })
    }

    func writeTimeline(_ request: TimelineFileRequest) throws -> TimelineFileWritten {
        let rendered = try TimelineAssembly.render(
            TimelineRequest(sourceID: request.sourceID, format: request.format, selection: request.selection), db: connection, storage: storage)
        let paths = try TimelineFiles.write(rendered.documents, to: URL(fileURLWithPath: request.path).path)
        return TimelineFileWritten(paths: paths, clipCount: rendered.clipCount)
    }

    private func proxyDescriptor(_ entry: QueueEntry) throws -> [Float] {
        let source = try frames(source: entry.sourceID)
        let width = 320
        let height = max(2, Int((Double(width) * Double(source.index.header.height) / Double(max(1, source.index.header.width))).rounded()))
        var vectors: [[Float]] = []
        for (_, frame) in KeyframeStrategy.multi.frames(start: entry.startFrame, end: entry.endFrame) {
            let picture = try source.frame(frame, width: width, height: height)
            var bgr = picture.rgb
            for i in stride(from: 0, to: bgr.count - 2, by: 3) { bgr.swapAt(i, i + 2) }
            vectors.append(try VisualDescriptor.describe(bgr: bgr, width: picture.width, height: picture.height))
        }
        return VisualDescriptor.average(vectors)
    }

    func frames(source: Int64) throws -> FrameSource {
        // Under the lock: two render threads asking for a new source open it once.
        try frameSources.withLock { open in
            if let source = open[source] { return source }
            guard let files = try SourceVideoQueries.frameFiles(connection, id: source) else {
                throw ReviewError("source \(source) has no proxy yet")
            }
            let opened = try FrameSource.open(store: storage, proxyKey: try StorageKey(files.proxy),
                                              indexKey: try StorageKey(files.index))
            open[source] = opened
            return opened
        }
    }

    func isConnectionLoss(_ error: any Error) -> Bool { (error as? DatabaseError)?.isConnectionLoss ?? false }
}
