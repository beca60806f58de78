import Database
import Domain
import TUI

/// The review station's view of the database: the Database module's named queries on one
/// connection of the station's own (the workers have theirs).
struct DatabaseReviewBackend: ReviewBackend {
    let connection: PostgresConnection

    func pendingClips() throws -> [QueueEntry] {
        try ReviewQueue.pending(connection)
    }
}
