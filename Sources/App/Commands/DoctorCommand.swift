import ArgumentParser
import Foundation

/// `heaters doctor`: every dependency, checked, with a fix for each failure.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check libraries, tools, database, storage and terminal; print a fix for each problem.",
        discussion: "Exits 0 when nothing failed (warnings allowed), 1 otherwise.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            // libpq may quote a malformed DATABASE_URL, password and all: no check shows a secret.
            let checks = await Doctor(config: try global.load(), environment: ProcessInfo.processInfo.environment).run().map {
                var check = $0
                check.detail = ErrorContext.shared.redacted(check.detail)
                check.fix = check.fix.map(ErrorContext.shared.redacted)
                return check
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(checks), as: UTF8.self))
            } else {
                let colour = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
                for check in checks { print(Self.line(check, colour: colour)) }
                let failed = checks.filter { $0.status == .failed }.count
                print(failed == 0 ? "all good" : "\(failed) problem\(failed == 1 ? "" : "s") found")
            }
            if checks.contains(where: { $0.status == .failed }) { throw ExitCode.failure }
        }
    }

    static func line(_ check: DoctorCheck, colour: Bool) -> String {
        let mark: String
        switch check.status {
        case .ok: mark = colour ? "\u{1B}[32mok\u{1B}[0m  " : "ok  "
        case .warning: mark = colour ? "\u{1B}[33mwarn\u{1B}[0m" : "warn"
        case .failed: mark = colour ? "\u{1B}[31mFAIL\u{1B}[0m" : "FAIL"
        }
        var text = "\(mark) \(check.area)/\(check.name): \(check.detail)"
        if let fix = check.fix, check.status != .ok { text += "\n      fix: \(fix)" }
        return text
    }
}
