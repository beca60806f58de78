@testable import Database
import Foundation

/// Fixture factories: rows inserted through the real schema.
enum Rows {
    @discardableResult
    static func source(_ db: PostgresConnection, title: String = "Interview 3", frameCount: Int = 1000,
                       fps: Double = 25) throws -> Int64 {
        try db.query("""
            INSERT INTO source_videos (title, source_uri, frame_count, fps, duration_seconds)
            VALUES ($1, $2, $3, $4, $5) RETURNING id
            """, [title, "/videos/\(title).mp4", frameCount, fps, Double(frameCount) / fps]).first!.decode("id")
    }

    @discardableResult
    static func clip(_ db: PostgresConnection, source: Int64, frames: Range<Int>, fps: Double = 25,
                     state: String = "pending_review") throws -> Int64 {
        try clip(db, source: source, start: frames.lowerBound, end: frames.upperBound, fps: fps, state: state)
    }

    /// Any start and end, including the invalid ones a Range cannot hold.
    @discardableResult
    static func clip(_ db: PostgresConnection, source: Int64, start: Int, end: Int, fps: Double = 25,
                     state: String = "pending_review") throws -> Int64 {
        try db.query("""
            INSERT INTO clips (source_video_id, start_frame, end_frame, start_seconds, end_seconds, state)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
            """, [source, start, end, Double(start) / fps, Double(end) / fps, state]).first!.decode("id")
    }
}

/// The SQLSTATE of a database error, for `#expect(throws:)` checks.
func sqlState(of body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as DatabaseError {
        return error.sqlState ?? "no sqlstate: \(error)"
    } catch {
        return "not a DatabaseError: \(error)"
    }
}
