import Foundation
import Logging

/// Logs for people on a terminal ("12:03:04 info  job completed job=12"), JSON lines for
/// machines otherwise (one object per line: time, level, label, message, metadata).
struct HeatersLogHandler: LogHandler {
    let label: String
    let json: Bool
    let output: FileHandle
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Installs the handler process-wide: JSON unless `output` is a terminal.
    static func bootstrap(level: Logger.Level, output: FileHandle = .standardError) {
        let json = isatty(output.fileDescriptor) == 0
        LoggingSystem.bootstrap { label in
            HeatersLogHandler(label: label, json: json, output: output, logLevel: level)
        }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let now = Date()
        let line: String
        if json {
            var object: [String: String] = ["time": now.formatted(.iso8601), "level": event.level.rawValue,
                                            "label": label, "message": "\(event.message)"]
            for (key, value) in all where object[key] == nil { object[key] = "\(value)" }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        } else {
            let time = now.formatted(.dateTime.hour(.twoDigits(amPM: .omitted)).minute(.twoDigits).second(.twoDigits))
            let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            line = "\(time) \(event.level.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(event.message)"
                + (fields.isEmpty ? "" : "  \(fields)")
        }
        output.write(Data((line + "\n").utf8))
    }
}
