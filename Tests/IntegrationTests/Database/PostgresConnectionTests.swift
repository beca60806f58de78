@testable import Database
import Foundation
import Testing

/// The libpq wrapper against a real server.
@Suite(.timeLimit(.minutes(12))) struct PostgresConnectionTests {
    @Test func boundParametersRoundTripTypedValues() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh(migrated: false))
        let tricky = "Robert'); DROP TABLE students;-- ünïcødé"
        let when = Date(timeIntervalSince1970: 1_764_096_738.25)
        let row = try db.query("""
            SELECT $1::text AS s, $2::bigint AS i, $3::float8 AS d, $4::bool AS b, $5::timestamptz AS t, $6::text AS n,
                   $7::jsonb AS j
            """, [tricky, Int64(9_007_199_254_740_993), 2.5, true, when, nil as String?, JSONText("{\"a\": [1, 2]}")]).first!
        #expect(try row.decode("s", as: String.self) == tricky)
        #expect(try row.decode("i", as: Int64.self) == 9_007_199_254_740_993)
        #expect(try row.decode("d", as: Double.self) == 2.5)
        #expect(try row.decode("b", as: Bool.self) == true)
        #expect(try row.decode("t", as: Date.self) == when)
        #expect(try row.decodeIfPresent("n", as: String.self) == nil)
        #expect(try row.decode("j", as: JSONText.self).decode([String: [Int]].self) == ["a": [1, 2]])
        #expect(throws: DatabaseError.self) { try row.decode("n", as: String.self) }
        #expect(throws: DatabaseError.self) { try row.decode("missing", as: String.self) }
    }

    @Test func errorsCarrySQLStateAndDetail() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh(migrated: false))
        do {
            try db.query("SELECT * FROM no_such_table")
            Issue.record("query succeeded")
        } catch let error as DatabaseError {
            #expect(error.kind == .query)
            #expect(error.sqlState == "42P01")
            #expect(error.message.contains("no_such_table"))
        }
        #expect(try db.query("SELECT 1 AS ok").count == 1)  // the connection is still usable
    }

    @Test func transactionsCommitOrRollBack() async throws {
        let db = try PostgresConnection(conninfo: try await TestDatabase.fresh(migrated: false))
        try db.execute("CREATE TABLE t (v int PRIMARY KEY)")
        try db.transaction { tx in _ = try tx.execute("INSERT INTO t VALUES (1)") }
        #expect(throws: DatabaseError.self) {
            try db.transaction { tx in
                try tx.execute("INSERT INTO t VALUES (2)")
                try tx.execute("INSERT INTO t VALUES (1)")  // duplicate: the whole transaction goes
            }
        }
        let values = try db.query("SELECT v FROM t ORDER BY v").map { try $0.decode("v", as: Int.self) }
        #expect(values == [1])
        #expect(try db.execute("UPDATE t SET v = v + 10") == 1)
    }

    @Test func listenReceivesNotifications() async throws {
        let conninfo = try await TestDatabase.fresh(migrated: false)
        let listener = try PostgresConnection(conninfo: conninfo)
        let sender = try PostgresConnection(conninfo: conninfo)
        try listener.listen("clips_changed")
        #expect(try listener.waitForNotifications(timeout: .milliseconds(100)).isEmpty)
        try sender.notify("clips_changed", payload: "42")
        try sender.notify("clips_changed", payload: "43")
        var payloads: [String] = []
        let deadline = Date().addingTimeInterval(5)
        while payloads.count < 2 && Date() < deadline {
            payloads += try listener.waitForNotifications(timeout: .seconds(1)).map(\.payload)
        }
        #expect(payloads == ["42", "43"])
        #expect(throws: DatabaseError.self) { try listener.listen("bad; DROP TABLE x") }
    }

    @Test func aWrongServerGivesAConnectionError() {
        do {
            _ = try PostgresConnection(conninfo: "host=/nonexistent-socket-dir dbname=x connect_timeout=2")
            Issue.record("connected to nothing")
        } catch let error as DatabaseError {
            #expect(error.kind == .connection)
            #expect(error.isConnectionLoss)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
