/// A Postgres array of plain values (ids, state or queue names) bound as one text parameter
/// and cast by the SQL (`$1::text[]`, `$1::bigint[]`): `{"a","b"}`, each element quoted.
public struct TextArray: PostgresEncodable, Equatable {
    public var elements: [String]

    public init(_ elements: [String]) { self.elements = elements }

    public init<T: BinaryInteger>(_ numbers: [T]) { elements = numbers.map { String($0) } }

    public var postgresText: String? {
        "{" + elements.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }
}
