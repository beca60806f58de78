import CLibPQ

/// libpq connection strings (keyword form or `postgresql://` URI), parsed by libpq itself,
/// so that a password is found however it was written.
public enum ConnectionString {
    /// The settings in `conninfo` that it gives a value, or nil when libpq cannot parse it.
    public static func settings(_ conninfo: String) -> [(keyword: String, value: String)]? {
        guard let options = PQconninfoParse(conninfo, nil) else { return nil }
        defer { PQconninfoFree(options) }
        var out: [(String, String)] = []
        var cursor = options
        while let keyword = cursor.pointee.keyword {
            if let value = cursor.pointee.val { out.append((String(cString: keyword), String(cString: value))) }
            cursor += 1
        }
        return out
    }

    /// The string rebuilt in keyword form from `settings`.
    public static func keywordForm(_ settings: [(keyword: String, value: String)]) -> String {
        settings.map { "\($0.keyword)=\(quoted($0.value))" }.joined(separator: " ")
    }

    /// `conninfo` without its password, and the password; for handing a password to a child
    /// process through its environment (PGPASSWORD) instead of its visible arguments.
    public static func splitPassword(_ conninfo: String) -> (conninfo: String, password: String?) {
        guard let settings = settings(conninfo), let password = settings.first(where: { $0.keyword == "password" })?.value else {
            return (conninfo, nil)
        }
        return (keywordForm(settings.filter { $0.keyword != "password" }), password)
    }

    /// `conninfo` safe to print: unchanged when it holds no password, else rebuilt without it.
    public static func redacted(_ conninfo: String) -> String {
        guard let settings = settings(conninfo) else { return "<a connection string libpq cannot parse>" }
        guard settings.contains(where: { $0.keyword == "password" }) else { return conninfo }
        return keywordForm(settings.map { $0.keyword == "password" ? ($0.keyword, "<redacted>") : $0 })
    }

    static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
