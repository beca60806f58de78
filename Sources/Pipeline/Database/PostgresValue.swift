import Foundation

/// A Swift value that can be sent to Postgres as a bound parameter, in text format.
/// Values are always bound, never spliced into SQL.
public protocol PostgresEncodable: Sendable {
    /// The parameter's text representation; nil sends SQL NULL.
    var postgresText: String? { get }
}

/// A Swift type that can be read from a column's text representation.
public protocol PostgresDecodable {
    init(postgresText: String) throws
}

extension String: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { self }
    public init(postgresText: String) { self = postgresText }
}

/// The integer types share one text form.
public protocol PostgresInteger: FixedWidthInteger, PostgresEncodable, PostgresDecodable {}

extension PostgresInteger {
    public var postgresText: String? { String(self) }
    public init(postgresText: String) throws {
        guard let v = Self(postgresText) else { throw DatabaseError(.decoding, "not a \(Self.self): \(postgresText)") }
        self = v
    }
}

extension Int: PostgresInteger {}
extension Int64: PostgresInteger {}
extension Int32: PostgresInteger {}
extension Int16: PostgresInteger {}

extension Double: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { String(self) }
    public init(postgresText: String) throws {
        guard let v = Double(postgresText) else { throw DatabaseError(.decoding, "not a number: \(postgresText)") }
        self = v
    }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { self ? "true" : "false" }
    public init(postgresText: String) throws {
        switch postgresText {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw DatabaseError(.decoding, "not a boolean: \(postgresText)")
        }
    }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresText: String? { self?.postgresText }
}

extension Date: PostgresEncodable, PostgresDecodable {
    /// ISO 8601 in UTC with milliseconds, which timestamptz accepts as is.
    public var postgresText: String? {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(self)
    }
    /// Postgres prints timestamptz as "2026-11-25 18:52:18.123456+00" (DateStyle ISO).
    public init(postgresText: String) throws {
        guard let seconds = PostgresTimestamp.secondsSince1970(postgresText) else {
            throw DatabaseError(.decoding, "not a timestamp: \(postgresText)")
        }
        self = Date(timeIntervalSince1970: seconds)
    }
}

/// A JSON document bound as text and cast by the SQL (`$1::jsonb`).
public struct JSONText: PostgresEncodable, PostgresDecodable, Equatable {
    public var text: String
    public init(_ text: String) { self.text = text }
    public init<T: Encodable>(encoding value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        text = String(decoding: try encoder.encode(value), as: UTF8.self)
    }
    public init(postgresText: String) { text = postgresText }
    public var postgresText: String? { text }
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}
