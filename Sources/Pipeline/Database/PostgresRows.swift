/// The rows a statement returned, copied out of libpq's result so no C memory outlives the call.
public struct PostgresRows: Sendable, Sequence {
    public let columns: [String]
    public let values: [[String?]]
    /// Rows affected by INSERT/UPDATE/DELETE (libpq's PQcmdTuples), 0 when not applicable.
    public let affectedRows: Int

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }
    public var first: PostgresRow? { values.isEmpty ? nil : PostgresRow(columns: columns, values: values[0]) }

    public subscript(index: Int) -> PostgresRow { PostgresRow(columns: columns, values: values[index]) }

    public func makeIterator() -> some IteratorProtocol<PostgresRow> {
        values.lazy.map { PostgresRow(columns: columns, values: $0) }.makeIterator()
    }
}

/// One row, with typed access by column name.
public struct PostgresRow: Sendable {
    public let columns: [String]
    public let values: [String?]

    /// The raw text of a column; nil when SQL NULL.
    public func text(_ column: String) throws -> String? {
        guard let i = columns.firstIndex(of: column) else {
            throw DatabaseError(.decoding, "no column \"\(column)\" in result (have: \(columns.joined(separator: ", ")))")
        }
        return values[i]
    }

    /// A non-NULL column decoded as `T`.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let raw = try text(column) else {
            throw DatabaseError(.decoding, "column \"\(column)\" is NULL, expected \(T.self)")
        }
        return try T(postgresText: raw)
    }

    /// A nullable column decoded as `T?`.
    public func decodeIfPresent<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        guard let raw = try text(column) else { return nil }
        return try T(postgresText: raw)
    }
}
