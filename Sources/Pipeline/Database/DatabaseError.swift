import Foundation
import Support

/// Every failure of the database layer: what went wrong, Postgres' SQLSTATE when the server
/// said so, and what a person can do about it.
public struct DatabaseError: OutageSignalling, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Could not connect, or the connection dropped; the next call reconnects.
        case connection
        /// The server rejected a statement (see `sqlState`).
        case query
        /// A value could not be decoded into the requested Swift type.
        case decoding
        /// The server lacks something heaters needs (e.g. the `vector` extension).
        case unsupportedServer
        /// The embedded server could not be set up or started.
        case embeddedServer
    }

    public var kind: Kind
    public var message: String
    /// The five-character SQLSTATE, e.g. "23P01" for an exclusion violation.
    public var sqlState: String?
    public var detail: String?
    /// What to do about it, shown to the user.
    public var hint: String?

    public init(_ kind: Kind, _ message: String, sqlState: String? = nil, detail: String? = nil, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
    }

    public var description: String {
        var text = message
        if let sqlState { text += " [SQLSTATE \(sqlState)]" }
        if let detail, !detail.isEmpty { text += "\n  detail: \(detail)" }
        if let hint, !hint.isEmpty { text += "\n  fix: \(hint)" }
        return text
    }

    /// True when the error means the connection is gone rather than the statement was wrong.
    public var isConnectionLoss: Bool {
        kind == .connection || (sqlState?.hasPrefix("08") ?? false) || sqlState == "57P01"
            || sqlState == "57P02" || sqlState == "57P03"
    }
}

extension DatabaseError {
    /// The server is gone or cannot serve for now: the connection dropped, it is starting or
    /// shutting down, or it lacks resources (class 53: disk full, out of memory, too many
    /// connections). Work waits for it rather than spending attempts.
    public var isOutage: Bool {
        isConnectionLoss || (sqlState?.hasPrefix("53") ?? false)
    }
}

/// Well-known SQLSTATE codes the rest of the code reacts to.
public enum SQLState {
    public static let uniqueViolation = "23505"
    public static let exclusionViolation = "23P01"
    public static let checkViolation = "23514"
    public static let foreignKeyViolation = "23503"
    public static let notNullViolation = "23502"
}
