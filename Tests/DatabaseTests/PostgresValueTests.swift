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

    /// Every form Postgres prints with DateStyle ISO, checked against Foundation's own ISO 8601
    /// reading of the same instants; and what is not a timestamp is refused.
    @Test func timestampsAgreeWithFoundationAcrossTheCalendar() throws {
        let iso = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let cases: [(String, String)] = [
            ("1970-01-01 00:00:00+00", "1970-01-01T00:00:00.000Z"),
            ("1969-12-31 23:59:59.5+00", "1969-12-31T23:59:59.500Z"),
            ("2000-02-29 12:00:00.25-05", "2000-02-29T17:00:00.250Z"),
            ("2024-12-31 23:59:59.999+05:30", "2024-12-31T18:29:59.999Z"),
            ("1900-03-01 00:00:00+00", "1900-03-01T00:00:00.000Z"),
            ("2100-02-28 08:15:30+00:00:00", "2100-02-28T08:15:30.000Z"),
            ("9999-12-31 23:59:59+00", "9999-12-31T23:59:59.000Z"),
            ("2026-11-25T18:52:18.1+00", "2026-11-25T18:52:18.100Z"),
            ("2026-11-25 15:22:18.5-03:30", "2026-11-25T18:52:18.500Z"),
            ("1901-06-01 00:09:21+00:09:21", "1901-06-01T00:00:00.000Z"),  // a local mean time offset
            ("1969-12-31 20:59:59.25-03:00", "1969-12-31T23:59:59.250Z"),
        ]
        for (postgres, expected) in cases {
            let parsed = try Date(postgresText: postgres)
            #expect(abs(parsed.timeIntervalSince1970 - (try iso.parse(expected)).timeIntervalSince1970) < 0.0001, "\(postgres)")
        }
        // Before 1582 Foundation's calendar is Julian; Postgres' is proleptic Gregorian, as
        // here (its `extract(epoch FROM timestamptz '0001-01-01 00:00:00+00')`).
        #expect(try Date(postgresText: "0001-01-01 00:00:00+00").timeIntervalSince1970 == -62_135_596_800)
        for bad in ["infinity", "-infinity", "2026-11-25 18:52:18", "2026-13-01 00:00:00+00", "2026-11-25 24:00:00+00",
                    "2026-11-25 18:52:18.+00", "2026-11-25 18:52:18.1234567+00", "2026-11-25 18:52:18+00 BC",
                    "0000-01-01 00:00:00+00", "2026-1-25 18:52:18+00", ""] {
            #expect(throws: DatabaseError.self, "\(bad)") { try Date(postgresText: bad) }
        }
    }
}
