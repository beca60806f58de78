import Foundation

/// A source URL as logs, errors and status show it: without what grants access. `user:password@`
/// becomes `***@`, and a query (where signed URLs carry their tokens: `?X-Amz-Signature=…`,
/// `?token=…`) becomes `?…`. The database keeps the URL as submitted, since downloading needs it.
public enum URLRedaction {
    public static func redacted(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let afterScheme = text[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        var authority = String(afterScheme[..<authorityEnd])
        if let at = authority.lastIndex(of: "@") { authority = "***" + authority[at...] }
        var rest = String(afterScheme[authorityEnd...])
        if let fragment = rest.firstIndex(of: "#") { rest = String(rest[..<fragment]) }
        if let query = rest.firstIndex(of: "?") { rest = String(rest[..<query]) + "?…" }
        return String(text[..<schemeEnd.upperBound]) + authority + rest
    }

    /// `message` with every occurrence of `url` replaced by its redacted form (tools echo the
    /// URL they were given in their errors).
    public static func redacting(_ url: String, in message: String) -> String {
        let safe = redacted(url)
        guard safe != url, !url.isEmpty else { return message }
        return message.replacingOccurrences(of: url, with: safe)
    }
}
