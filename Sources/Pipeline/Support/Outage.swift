import Foundation

/// An error that can say the infrastructure is unavailable for now (the database gone, the
/// object store answering 5xx, a connection reset, the disk full) rather than that the input
/// is wrong. A job failing with an outage waits and retries with its own long backoff and
/// spends none of its attempts: a short outage must never turn good work into a failure.
public protocol OutageSignalling: Error {
    var isOutage: Bool { get }
}

public enum Outage {
    /// True when `error` says the infrastructure is unavailable (see `OutageSignalling`);
    /// Foundation's and POSIX's "no space left" count too, whoever threw them.
    public static func isOutage(_ error: any Error) -> Bool {
        if let signalling = error as? any OutageSignalling { return signalling.isOutage }
        if let cocoa = error as? CocoaError, cocoa.code == .fileWriteOutOfSpace { return true }
        if let posix = error as? POSIXError { return isOutage(errno: posix.code.rawValue) }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return isOutage(errno: Int32(ns.code)) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return isOutage(errno: Int32(underlying.code))
        }
        return false
    }

    /// The errno values that mean the machine, not the input: no space, no quota.
    public static func isOutage(errno code: Int32) -> Bool {
        code == ENOSPC || code == EDQUOT
    }
}
