import Domain

/// Everything the review station needs from the database, as a protocol: the station never
/// sees SQL or a connection. The App implements it with the Database module's queries.
/// Every call blocks; the station makes them on background threads only.
public protocol ReviewBackend: Sendable {
    /// The clips waiting for a reviewer, in review order.
    func pendingClips() throws -> [QueueEntry]
}
