import Foundation

/// Where configuration can leak a secret, and the checks that stop it: a config file holding
/// one must be readable by its owner only, and a database password must not be a command-line
/// argument (every user on the machine reads arguments with `ps`).
enum Secrets {
    /// The secrets a config file holds, by setting name (empty: none).
    static func held(by file: ConfigFile) -> [String] {
        var names: [String] = []
        if let secret = file.aws?.secretAccessKey, !secret.isEmpty { names.append("aws.secret_access_key") }
        if let token = file.aws?.sessionToken, !token.isEmpty { names.append("aws.session_token") }
        if let url = file.databaseURL, hasPassword(url) { names.append("database_url (its password)") }
        return names
    }

    /// Whether a Postgres connection string carries a password: `postgres://user:pw@host/db`
    /// or the keyword form `… password=pw …`.
    static func hasPassword(_ conninfo: String) -> Bool {
        if conninfo.hasPrefix("postgres://") || conninfo.hasPrefix("postgresql://") {
            guard let at = conninfo.firstIndex(of: "@") else { return false }
            let authority = conninfo[conninfo.index(conninfo.firstIndex(of: "/")!, offsetBy: 2)..<at]
            if authority.contains(":") { return true }
        }
        return conninfo.range(of: #"(^|[\s?&])password\s*="#, options: .regularExpression) != nil
    }

    /// The password a Postgres connection string carries, as written and percent-decoded
    /// (libpq's own messages may quote either): the URI's `user:password@` or `?password=`,
    /// or the keyword form's `password=…` (quoted or bare). Empty when there is none.
    static func passwords(in conninfo: String) -> [String] {
        var found: [String] = []
        let lower = conninfo.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://"), let scheme = conninfo.range(of: "://") {
            let rest = conninfo[scheme.upperBound...]
            let authority = rest.prefix { $0 != "/" && $0 != "?" }
            if let at = authority.firstIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                found.append(String(authority[authority.index(after: colon)..<at]))
            }
        }
        let pattern = #"(?:^|[\s?&])password\s*=\s*('(?:[^'\\]|\\.)*'|[^\s&]+)"#
        var searched = conninfo.startIndex..<conninfo.endIndex
        while let match = conninfo.range(of: pattern, options: .regularExpression, range: searched) {
            let value = conninfo[match].drop { $0 != "=" }.dropFirst().drop { $0 == " " }
            found.append(value.hasPrefix("'") ? String(value.dropFirst().dropLast()) : String(value))
            searched = match.upperBound..<conninfo.endIndex
        }
        let decoded = found.compactMap { $0.removingPercentEncoding }
        return Array(Set((found + decoded).filter { !$0.isEmpty }))
    }

    /// Refuses a config file that holds a secret and that its group or other users can read.
    static func checkPermissions(of path: URL, holding secrets: [String]) throws {
        guard !secrets.isEmpty,
              let mode = (try? FileManager.default.attributesOfItem(atPath: path.path))?[.posixPermissions] as? NSNumber
        else { return }
        let permissions = mode.intValue & 0o777
        guard permissions & 0o044 == 0 else {
            throw ConfigError("\(path.path) holds \(secrets.joined(separator: " and ")) and other users can read it "
                              + "(mode \(String(permissions, radix: 8))): chmod 600 \(path.path)")
        }
    }

    /// Refuses a password given as `--database-url`.
    static func checkFlag(databaseURL: String?) throws {
        guard let databaseURL, hasPassword(databaseURL) else { return }
        throw ConfigError("--database-url holds a password, which every user on this machine can read in ps: put the URL "
                          + "in DATABASE_URL or in the config file (chmod 600), or the password in ~/.pgpass")
    }
}
