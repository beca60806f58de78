import Foundation
import Testing
@testable import Database

/// Pure parts of the database layer: identifiers and text decoding.
@Suite struct PostgresValueTests {
    @Test func channelNamesAreIdentifiersOnly() throws {
        #expect(try PostgresConnection.validChannel("jobs_ready") == "jobs_ready")
        for bad in ["", "Jobs", "1abc", "a;b", "a b", String(repeating: "x", count: 64)] {
            #expect(throws: DatabaseError.self) { try PostgresConnection.validChannel(bad) }
        }
    }

    @Test func timestampsParseAsPostgresPrintsThem() throws {
        let micro = try Date(postgresText: "2026-11-25 18:52:18.123456+00")
        #expect(abs(micro.timeIntervalSince1970 - 1_795_632_738.123) < 0.0005)
        let whole = try Date(postgresText: "2026-11-25 19:52:18+01")
        #expect(whole.timeIntervalSince1970 == 1_795_632_738)
        #expect(throws: DatabaseError.self) { try Date(postgresText: "yesterday") }
    }
}
