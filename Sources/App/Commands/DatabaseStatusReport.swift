import Database
import Foundation

/// What `heaters db status` prints.
struct DatabaseStatusReport: Encodable {
    var kind: String
    var url: String
    var server: String
    var reachable: Bool
    var schemaVersion: Int?
    var latestVersion: Int
    var error: String?

    static func gather(_ database: DatabaseServer) throws -> DatabaseStatusReport {
        var report = DatabaseStatusReport(kind: "external", url: try database.displayURL(), server: "unknown",
                                          reachable: false, schemaVersion: nil,
                                          latestVersion: Migration.all.last?.version ?? 0, error: nil)
        if case .embedded(let server) = database.location {
            report.kind = "embedded"
            switch try server.status() {
            case .notInitialized: report.server = "not initialised (heaters db start creates it)"; return report
            case .stopped: report.server = "stopped"; return report
            case .running(let pid): report.server = "running (pid \(pid))"
            }
        }
        do {
            let connection = try database.connect()
            report.reachable = true
            if case .external = database.location { report.server = "Postgres \(connection.serverVersion / 10000)" }
            report.schemaVersion = try Migrator().appliedVersions(connection).last
        } catch {
            report.error = "\(error)"
        }
        return report
    }

    var text: String {
        var lines = ["database: \(kind), \(server)", "url: \(url)"]
        if reachable {
            lines.append("schema: version \(schemaVersion.map(String.init) ?? "none") of \(latestVersion)"
                         + (schemaVersion == latestVersion ? "" : " (heaters db migrate brings it up to date)"))
        }
        if let error { lines.append("error: \(error)") }
        return lines.joined(separator: "\n")
    }

    func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
