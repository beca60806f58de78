/// A validated key in the object store: a relative path of plain segments. Keys come from
/// the pipeline (deterministic names) but may carry user-supplied parts such as a file
/// name, so anything that could escape the store's root is refused here, once.
public struct StorageKey: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init(_ value: String) throws(StorageError) {
        func refuse(_ reason: String) -> StorageError { .invalidKey(value, reason: reason) }
        guard !value.isEmpty else { throw refuse("empty") }
        guard value.utf8.count <= 1024 else { throw refuse("longer than 1024 bytes") }
        guard !value.hasPrefix("/") else { throw refuse("absolute paths are not keys") }
        guard !value.contains("\\") else { throw refuse("backslashes are not allowed") }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw refuse("control characters are not allowed")
        }
        for segment in value.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { throw refuse("empty path segment") }
            if segment == "." || segment == ".." { throw refuse("\"\(segment)\" segments are not allowed") }
        }
        self.value = value
    }

    /// Joins validated segments, e.g. `StorageKey(joining: "sources", "12", "proxy.mp4")`.
    public init(joining segments: String...) throws(StorageError) {
        try self.init(segments.joined(separator: "/"))
    }

    public var description: String { value }
}
