@testable import Database
import Foundation
import Testing

/// The decisions still settling are found through their index (migration 17), not by a scan of
/// every decision ever made: `heaters status` and the station's undo tray read them each time.
/// Seq scans are switched off so the plan shows whether the index can serve the query at all
/// (its predicate must stay the queries' own); on a small table the planner would scan anyway.
@Suite struct SettlingIndexTests {
    @Test(arguments: [
        ("settling decisions", ReviewActionQueries.settlingActions, [100] as [any PostgresEncodable]),
        ("review counts", StatusQueries.reviewCounts, [ReviewStatus.overdueSeconds] as [any PostgresEncodable]),
    ])
    func theSettlingQueriesUseTheSettlingIndex(_ name: String, _ sql: String, _ parameters: [any PostgresEncodable]) async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh())
        let plan = try db.transaction { tx in
            try tx.execute("SET LOCAL enable_seqscan = off")
            return try tx.query("EXPLAIN " + sql, parameters).map { try $0.decode("QUERY PLAN", as: String.self) }
        }
        #expect(plan.contains { $0.contains("review_actions_settling_idx") }, "\(name):\n\(plan.joined(separator: "\n"))")
    }
}
