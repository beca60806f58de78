import Foundation

/// Where the files of the embedded cluster live. Normally everything is under
/// `<data dir>/postgres/`. When heaters runs as root and the unprivileged server account
/// cannot reach the data dir (e.g. under /root), the cluster lives in
/// `/var/lib/heaters/clusters/<hash of the data dir>` and `<data dir>/postgres` is a
/// symbolic link to it, so it still appears under the data dir.
public struct ClusterLayout: Sendable {
    /// The cluster's own folder (a real path, never the link).
    public let base: URL
    /// The folder holding the Unix socket: short, since a socket path is limited to 107 bytes.
    public let socketDirectory: URL
    /// Lock serialising start/stop/init between processes on this machine.
    public let lockFile: URL

    public var pgdata: URL { base.appendingPathComponent("data") }
    public var pgdataInProgress: URL { base.appendingPathComponent("data.initdb-in-progress") }
    public var logFile: URL { base.appendingPathComponent("server.log") }
    public var pidFile: URL { pgdata.appendingPathComponent("postmaster.pid") }
    public static let port = 5432

    static let rootClusters = URL(fileURLWithPath: "/var/lib/heaters/clusters")

    /// Works out where the cluster of `dataDirectory` is, touching nothing on disk: for
    /// status, URLs and connection strings.
    public static func locate(dataDirectory: URL, account: ServerAccount) -> ClusterLayout {
        let fm = FileManager.default
        let link = dataDirectory.appendingPathComponent("postgres")
        var base = link
        if let destination = try? fm.destinationOfSymbolicLink(atPath: link.path) {
            base = URL(fileURLWithPath: destination)
        } else if !fm.fileExists(atPath: link.path), needsRelocation(dataDirectory, account) {
            base = rootClusters.appendingPathComponent(key(dataDirectory))
        }
        return layout(base: base, dataDirectory: dataDirectory)
    }

    /// Works out and creates the folders for the cluster of `dataDirectory`.
    public static func prepare(dataDirectory: URL, account: ServerAccount) throws -> ClusterLayout {
        let fm = FileManager.default
        try fm.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        let link = dataDirectory.appendingPathComponent("postgres")
        var base = link
        if let destination = try? fm.destinationOfSymbolicLink(atPath: link.path) {
            // An earlier relocation; its folder may have been removed since (then it is made
            // again, empty, and the cluster initialised anew).
            base = URL(fileURLWithPath: destination)
            try fm.createDirectory(at: base, withIntermediateDirectories: true)
        } else if !fm.fileExists(atPath: link.path) && needsRelocation(dataDirectory, account) {
            base = rootClusters.appendingPathComponent(key(dataDirectory))
            try fm.createDirectory(at: rootClusters, withIntermediateDirectories: true,
                                   attributes: [.posixPermissions: 0o755])
            try fm.createDirectory(at: base, withIntermediateDirectories: true)
            try fm.createSymbolicLink(at: link, withDestinationURL: base)
        } else {
            try fm.createDirectory(at: base, withIntermediateDirectories: true)
        }
        let layout = layout(base: base, dataDirectory: dataDirectory)
        try account.takeOwnership(of: layout.base)
        chmod(layout.base.path, 0o700)
        try prepareSocketDirectory(layout.socketDirectory, account: account)
        return layout
    }

    /// As root, the server account must reach the data dir, or the cluster lives elsewhere.
    private static func needsRelocation(_ dataDirectory: URL, _ account: ServerAccount) -> Bool {
        account.identity != nil && !account.canReach(dataDirectory)
    }

    private static func key(_ dataDirectory: URL) -> String {
        stableHash(dataDirectory.standardizedFileURL.path)
    }

    private static func layout(base: URL, dataDirectory: URL) -> ClusterLayout {
        let resolved = base.resolvingSymlinksInPath()
        var socketDirectory = resolved.appendingPathComponent("run")
        if socketDirectory.path.utf8.count + "/.s.PGSQL.5432".utf8.count > 100 {
            socketDirectory = URL(fileURLWithPath: "/tmp/heaters-pg-\(key(dataDirectory))")
        }
        return ClusterLayout(base: resolved, socketDirectory: socketDirectory,
                             lockFile: dataDirectory.appendingPathComponent("postgres.lock"))
    }

    /// The socket folder belongs to the server account alone (mode 0700): that is what
    /// protects the trust-authenticated socket from other local users.
    private static func prepareSocketDirectory(_ dir: URL, account: ServerAccount) throws {
        var info = stat()
        if lstat(dir.path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == account.uid else {
                throw DatabaseError(.embeddedServer, "\(dir.path) exists but is not a folder owned by the server account",
                                    hint: "remove \(dir.path)")
            }
        } else {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false)
            try account.takeOwnership(of: dir)
        }
        chmod(dir.path, 0o700)
    }

    /// What `prepareSocketDirectory` ensures, checked without changing anything: a folder
    /// owned by the server account and closed to others (the fast path of a command that
    /// finds the server up relies on it, as a start does).
    func socketDirectoryIsPrivate(to account: ServerAccount) -> Bool {
        var info = stat()
        return lstat(socketDirectory.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            && info.st_uid == account.uid && (info.st_mode & 0o077) == 0
    }

    /// FNV-1a, because Swift's Hasher is seeded per process and this must be stable.
    static func stableHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
