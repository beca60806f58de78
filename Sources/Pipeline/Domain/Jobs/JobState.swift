/// A job's place in the queue (the Oban/River pattern):
///
///     scheduled ──(its time comes)──> available ──(claimed)──> running ──> completed
///                                        ^                        │
///                                        └─── retryable <─────────┤ error, attempts left
///                                                                 ├──> discarded  (attempts used up)
///     scheduled / available / retryable / running ──(cancel)──> cancelled
///
/// `scheduled`, `available` and `retryable` jobs are claimable once `scheduled_at` has
/// passed; a `running` job whose lease ran out (its worker died) goes back to `retryable`.
public enum JobState: String, CaseIterable, Sendable, Codable {
    case scheduled
    case available
    case running
    case retryable
    case completed
    case discarded
    case cancelled

    /// Final states never change again (except by an explicit `heaters retry`).
    public var isFinal: Bool { self == .completed || self == .discarded || self == .cancelled }

    /// The states of a live job: at most one per stage and subject (the database's unique
    /// index on exactly these, which every `ON CONFLICT` of the queue relies on).
    public static let live: [JobState] = allCases.filter { !$0.isFinal }
}
