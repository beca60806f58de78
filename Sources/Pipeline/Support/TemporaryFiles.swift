import Foundation

/// Scratch space for one heaters process: `<data dir>/tmp/<pid>-<random>/`. A process that
/// died (crash, kill -9) leaves its folder behind; the next start-up removes every folder
/// whose process is gone.
public struct TemporaryFiles: Sendable {
    public let directory: URL

    /// Makes this process's folder (after sweeping away the folders of dead runs).
    public static func forThisProcess(dataDirectory: URL) throws -> TemporaryFiles {
        let root = dataDirectory.appendingPathComponent("tmp")
        sweep(root)
        let directory = root.appendingPathComponent("\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return TemporaryFiles(directory: directory)
    }

    /// Removes the folders under `root` whose owning process no longer exists; returns them.
    @discardableResult
    public static func sweep(_ root: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        var removed: [URL] = []
        for name in names {
            guard let pidText = name.split(separator: "-").first, let pid = Int32(pidText), pid > 0 else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }  // still alive
            let folder = root.appendingPathComponent(name)
            if (try? FileManager.default.removeItem(at: folder)) != nil { removed.append(folder) }
        }
        return removed
    }

    /// Removes this process's folder (at a clean exit).
    public func remove() { try? FileManager.default.removeItem(at: directory) }
}
