import Foundation
import Support

/// Who runs the embedded Postgres server. Postgres refuses to run as root, so when heaters
/// runs as root the server runs as the unprivileged `heaters-pg` user that scripts/bootstrap
/// creates; otherwise it runs as the current user.
public struct ServerAccount: Sendable {
    public static let unprivilegedName = "heaters-pg"

    /// Set when the server must run as another user than the current process.
    public let identity: ProcessRunner.Identity?

    public var uid: uid_t { identity?.uid ?? geteuid() }
    public var gid: gid_t { identity?.gid ?? getegid() }

    public static func current() throws -> ServerAccount {
        guard geteuid() == 0 else { return ServerAccount(identity: nil) }
        guard let entry = getpwnam(unprivilegedName) else {
            throw DatabaseError(.embeddedServer,
                                "heaters runs as root, and Postgres refuses to: the user \(unprivilegedName) to run it as does not exist",
                                hint: "run scripts/bootstrap (it creates \(unprivilegedName)), or run heaters as an ordinary user")
        }
        return ServerAccount(identity: .init(uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid))
    }

    /// Whether this account can reach `path`: every directory on the way must grant it
    /// search (x) permission. Conservative: ACLs and supplementary groups are not counted.
    public func canReach(_ path: URL) -> Bool {
        guard identity != nil else { return true }
        var components = path.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        var current = ""
        components.removeFirst()  // "/"
        for component in [""] + components {
            current += component.isEmpty ? "/" : (current.hasSuffix("/") ? component : "/" + component)
            var info = stat()
            guard stat(current, &info) == 0 else { return false }
            guard (info.st_mode & S_IFMT) == S_IFDIR else { continue }
            let mode = info.st_mode
            let granted: Bool
            if info.st_uid == uid { granted = mode & S_IXUSR != 0 }
            else if info.st_gid == gid { granted = mode & S_IXGRP != 0 }
            else { granted = mode & S_IXOTH != 0 }
            if !granted { return false }
        }
        return true
    }

    /// Hands `path` to the server account (no-op when it is the current user).
    public func takeOwnership(of path: URL) throws {
        guard let identity else { return }
        guard chown(path.path, identity.uid, identity.gid) == 0 else {
            throw POSIXFailure("cannot give \(path.path) to \(Self.unprivilegedName)")
        }
    }
}
