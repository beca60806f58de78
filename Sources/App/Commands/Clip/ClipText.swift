import Database
import Domain
import Foundation
import Pipeline

/// How the `clip` commands print: lines for people, Encodable values for `--json`.
enum ClipText {
    /// `--version V` names the version of the one clip a decision is about.
    static func seen(_ ids: [Int64], _ version: Int?) -> [Int64: Int] {
        guard let version else { return [:] }
        return Dictionary(ids.map { ($0, version) }, uniquingKeysWith: { a, _ in a })
    }

    static func receipt(_ receipt: ReviewReceipt, decisions: [ReviewDecision]) -> [String] {
        if receipt.replayed {
            return ["this request was applied before (action\(receipt.actions.count == 1 ? "" : "s") "
                    + receipt.actions.map { String($0.id) }.joined(separator: ", ") + "): nothing changed"]
        }
        var lines: [String] = []
        for (action, decision) in zip(receipt.actions, decisions) {
            let until = CommandOutput.time(action.settlesAt)
            if action.scheduled {
                lines.append("\(describe(decision)) scheduled as action \(action.id): lands at \(until) "
                             + "(in \(seconds(until: action.settlesAt)) s); `heaters clip undo \(action.id)` cancels it")
            } else {
                lines.append("\(describe(decision)) (action \(action.id); undo with `heaters clip undo \(action.id)`, "
                             + "the pipeline waits until \(until))")
            }
        }
        if let batch = receipt.batchID { lines.append("batch \(batch.uuidString.lowercased()): undone together") }
        return lines
    }

    static func describe(_ decision: ReviewDecision) -> String {
        switch decision {
        case .approve(let clip): "approved clip \(clip)"
        case .skip(let clip): "skipped clip \(clip)"
        case .archive(let clip): "archived clip \(clip)"
        case .group(let clip, let other): "grouped clip \(clip) with clip \(other)"
        case .merge(let clip, let other): "merge of clips \(min(clip, other)) and \(max(clip, other))"
        case .split(let clip, let frame): "split of clip \(clip) at frame \(frame)"
        case .tag(let clip, let tag): "tagged clip \(clip) \"\(tag)\""
        case .untag(let clip, let tag): "removed tag \"\(tag)\" from clip \(clip)"
        }
    }

    static func undo(_ receipt: UndoReceipt) -> String {
        var parts: [String] = []
        if !receipt.cancelled.isEmpty {
            parts.append("cancelled scheduled action\(receipt.cancelled.count == 1 ? "" : "s") "
                         + receipt.cancelled.map(String.init).joined(separator: ", ") + " before it landed")
        }
        let reverted = receipt.undid.filter { !receipt.cancelled.contains($0) }
        if !reverted.isEmpty {
            parts.append("reverted action\(reverted.count == 1 ? "" : "s") " + reverted.map(String.init).joined(separator: ", "))
        }
        func clips(_ ids: [Int64]) -> String { "clip\(ids.count == 1 ? "" : "s") " + ids.map(String.init).joined(separator: ", ") }
        if !receipt.revived.isEmpty { parts.append(clips(receipt.revived) + (receipt.revived.count == 1 ? " is" : " are") + " back") }
        if !receipt.retired.isEmpty { parts.append(clips(receipt.retired) + " retired") }
        return "undo (action \(receipt.id)): " + parts.joined(separator: "; ")
    }

    static func log(_ rows: [ReviewActionRow]) -> [String] {
        CommandOutput.table([["action", "when", "reviewer", "what", "clip", "change", "status"]] + rows.map { row in
            [String(row.id), CommandOutput.time(row.createdAt), row.reviewer, row.action, String(row.clipID),
             row.previousState.map { "\($0) → \(row.newState ?? "?")" } ?? "", status(row)]
        }, rightAligned: [0])
    }

    static func status(_ row: ReviewActionRow) -> String {
        if let by = row.undoneBy { return "undone by \(by)" }
        if row.failedAt != nil { return "failed: " + CommandOutput.oneLine(row.error, limit: 50) }
        if row.landedAt != nil { return "landed \(CommandOutput.time(row.landedAt))" }
        if row.isPending { return "lands \(CommandOutput.time(row.settlesAt))" }
        if let settles = row.settlesAt, settles > Date() { return "undo window until \(CommandOutput.time(settles))" }
        return ""
    }

    static func row(_ clip: ClipQueries.Listed) -> [String] {
        let held = clip.heldBy.map { " (held by action \($0))" } ?? ""
        return [String(clip.id), String(clip.sourceID), "[\(clip.startFrame), \(clip.endFrame))",
                "\(Timecode.format(clip.startSeconds))–\(Timecode.format(clip.endSeconds))", clip.state + held,
                clip.tags.joined(separator: ",")]
    }

    static func detail(_ d: Detail) -> [String] {
        let c = d.clip
        var lines = ["clip \(c.id) · source \(c.sourceID) \"\(CommandOutput.visible(c.sourceTitle))\" · frames [\(c.startFrame), \(c.endFrame)) · "
                     + "\(Timecode.format(c.startSeconds))–\(Timecode.format(c.endSeconds)) · \(c.endFrame - c.startFrame) f"]
        lines.append("state: \(c.state)\(c.retiredBy.map { " (retired by \($0))" } ?? "") · version \(c.version)"
                     + (c.tags.isEmpty ? "" : " · tags: " + CommandOutput.visible(c.tags.joined(separator: ", "))))
        if !d.group.isEmpty {
            lines.append("group: clips " + d.group.map { String($0.clip) }.joined(separator: ", "))
            for member in d.group {
                lines.append("  clip \(member.clip) · \(member.state)" + (member.location.map { " · file: \($0)" } ?? " · no file yet"))
            }
        }
        if let held = c.heldBy { lines.append("held by scheduled action \(held)") }
        if let claimedBy = d.claimedBy { lines.append("being reviewed by \(claimedBy)") }
        if let settles = c.settlesAt, settles > Date() { lines.append("undo window until \(CommandOutput.time(settles))") }
        if !c.isVirtual, let key = c.clipKey { lines.append("file: \(d.location ?? key)") }
        for still in d.keyframes { lines.append("keyframe \(still.strategy) \(still.position): \(still.key)") }
        if !d.embeddings.isEmpty { lines.append("embeddings: " + d.embeddings.joined(separator: ", ")) }
        for link in d.parents {
            lines.append("came from clip \(link.clipID) (\(link.operation), action \(link.actionID.map(String.init) ?? "?"))"
                         + (link.undone ? " — undone" : ""))
        }
        for link in d.children {
            lines.append("made into clip \(link.clipID) (\(link.operation), action \(link.actionID.map(String.init) ?? "?"))"
                         + (link.undone ? " — undone" : ""))
        }
        if !d.replacedBy.isEmpty { lines.append("its frames are in clips " + d.replacedBy.map(String.init).joined(separator: ", ")) }
        if !d.decisions.isEmpty {
            lines.append("decisions:")
            for a in d.decisions {
                let change = a.previousState.map { "  \($0) → \(a.newState ?? "?")" } ?? ""
                let undone = a.undoneBy.map { "  (undone by \($0))" } ?? ""
                lines.append("  \(a.id)  \(CommandOutput.time(a.createdAt))  \(a.reviewer)  \(a.action)\(change)\(undone)")
            }
        }
        return lines
    }

    private static func seconds(until date: Date) -> Int { max(0, Int(date.timeIntervalSinceNow.rounded())) }

    // MARK: - JSON

    struct LoggedAction: Encodable {
        var id: Int64
        var action: String
        var clip: Int64
        var reviewer: String
        var session: String?
        var batch: String?
        var previousState: String?
        var newState: String?
        var payload: JSONValue
        var job: Int64?
        var settlesAt: Date?
        var landedAt: Date?
        var failedAt: Date?
        var error: String?
        var undoneAt: Date?
        var undoneBy: Int64?
        var createdAt: Date

        init(_ r: ReviewActionRow) {
            id = r.id; action = r.action; clip = r.clipID; reviewer = r.reviewer; session = r.sessionID
            batch = r.batchID?.uuidString.lowercased(); previousState = r.previousState; newState = r.newState
            payload = (try? JSONDecoder().decode(JSONValue.self, from: Data(r.payload.text.utf8))) ?? .null
            job = r.jobID; settlesAt = r.settlesAt; landedAt = r.landedAt; failedAt = r.failedAt; error = r.error
            undoneAt = r.undoneAt; undoneBy = r.undoneBy; createdAt = r.createdAt
        }
    }

    struct Detail: Encodable {
        var clip: ClipQueries.Listed
        var group: [Member]
        var parents: [ClipQueries.Link]
        var children: [ClipQueries.Link]
        var replacedBy: [Int64]
        var claimedBy: String?
        var decisions: [LoggedAction]
        /// Where its exported file is (an s3:// URL or a local path).
        var location: String?
        /// Its stills (clip_artifacts of type keyframe).
        var keyframes: [Still]
        /// The embedding models it has a vector under.
        var embeddings: [String]
    }

    /// A clip of the same group, with its file once exported.
    struct Member: Encodable {
        var clip: Int64
        var state: String
        var file: String?
        var location: String?
    }

    struct Still: Encodable {
        var strategy: String
        var position: String
        var key: String
    }
}

/// Any JSON document, passed through to `--json` output as it is.
enum JSONValue: Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
