import Foundation
import Testing
@testable import Support

@Suite struct TemporaryFilesTests {
    @Test func startUpRemovesTheFoldersOfDeadRunsOnly() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("tmpfiles-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let root = data.appendingPathComponent("tmp")
        // pid_max on Linux is at most 4194304, so this pid cannot be alive.
        let dead = root.appendingPathComponent("4194999-deadbeef")
        let alive = root.appendingPathComponent("\(getppid())-cafe0000")
        for folder in [dead, alive] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("partial".utf8).write(to: folder.appendingPathComponent("proxy.mp4.part"))
        }
        let mine = try TemporaryFiles.forThisProcess(dataDirectory: data)
        #expect(!FileManager.default.fileExists(atPath: dead.path))
        #expect(FileManager.default.fileExists(atPath: alive.path))
        #expect(FileManager.default.fileExists(atPath: mine.directory.path))
        #expect(mine.directory.lastPathComponent.hasPrefix("\(getpid())-"))
        mine.remove()
        #expect(!FileManager.default.fileExists(atPath: mine.directory.path))
    }
}
