import ArgumentParser
import Config
import Database
import Support
import Foundation

/// Ends a command with a message on stderr and a non-zero exit, without a stack of
/// "Error:" prefixes: the message already says what happened and what to do.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    let code: Int32

    init(_ description: String, code: Int32 = 1) {
        self.description = description
        self.code = code
    }
}

extension AsyncParsableCommand {
    /// Runs `body`, turning any error into a readable message and exit code 1.
    func reportingErrors(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as CommandFailure {
            FileHandle.standardError.write(Data("error: \(ErrorContext.shared.explain(error))\n".utf8))
            throw ExitCode(error.code)
        } catch let error as ExitCode {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(ErrorContext.shared.explain(error))\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// What this process knows about where its errors come from, set when the configuration is
/// loaded: the secrets no message may show (libpq quotes a malformed URL, password and all),
/// the data dir (a file system error there says to choose another), and where an external
/// database's URL came from (a connection error says which setting to check).
final class ErrorContext: @unchecked Sendable {
    static let shared = ErrorContext()
    private let lock = NSLock()
    private var secrets: [String] = []
    private var dataDirectory: String?
    private var databaseOrigin: String?

    func record(_ config: HeatersConfig) {
        lock.withLock {
            // Very short values would blank out ordinary words; libpq never needs them quoted.
            secrets = config.secrets.filter { $0.count >= 3 }.sorted { $0.count > $1.count }
            dataDirectory = config.dataDirectory.standardizedFileURL.path
            databaseOrigin = config.databaseURLOrigin
        }
    }

    /// The message for `error`: Foundation's file errors in plain words, the fix that applies,
    /// and every known secret replaced by ***.
    func explain(_ error: any Error) -> String {
        let (secrets, dataDirectory, databaseOrigin) = lock.withLock { (self.secrets, self.dataDirectory, self.databaseOrigin) }
        var text = Self.plainWords(error)
        if !text.contains("fix:") {
            if let database = error as? DatabaseError, database.kind == .connection, let origin = databaseOrigin {
                text += "\n  fix: check \(origin) (postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE): is the server up and "
                    + "reachable, are the user and password right? Or unset it to use the embedded database"
            } else if let dataDirectory, text.contains(dataDirectory) {
                text += "\n  fix: the data dir \(dataDirectory) must be a folder heaters can write, with free space: choose "
                    + "another with --data-dir or HEATERS_DATA_DIR, or fix the one you have"
            }
        }
        return redacted(text, secrets)
    }

    /// `text` with every known secret replaced by ***.
    func redacted(_ text: String) -> String { redacted(text, lock.withLock { secrets }) }

    private func redacted(_ text: String, _ secrets: [String]) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    /// Foundation's file errors in words (see `FileErrorText`); ours as they describe themselves.
    static func plainWords(_ error: any Error) -> String {
        if error is CommandFailure || error is DatabaseError { return "\(error)" }
        return FileErrorText.describe(error)
    }
}
