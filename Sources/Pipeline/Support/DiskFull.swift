import Foundation

/// The disk a stage writes its scratch files to is full: an outage (the job waits and
/// retries without spending attempts), told in words that say where and what to do, since
/// libav's own "No space left on device" names neither the disk nor the remedy.
public struct DiskFull: OutageSignalling, CustomStringConvertible, Sendable {
    public let cause: String
    public let folder: String
    public let hint: String

    public init(cause: any Error, folder: URL, hint: String) {
        self.cause = "\(cause)"
        self.folder = folder.path
        self.hint = hint
    }

    public var isOutage: Bool { true }

    public var description: String {
        "\(cause): the disk of \(folder) is full; \(hint): free space there or give heaters a data dir on a "
            + "larger disk; the job waits and retries by itself"
    }
}
