import Foundation
import Testing

/// A command that finds the embedded server up connects at once (one connection), but only
/// when the socket folder is as a start leaves it — private to the server account — since that
/// folder is what protects the trust-authenticated socket; otherwise it goes the whole way,
/// which puts the folder right (or refuses it).
@Suite(.timeLimit(.minutes(12))) struct EmbeddedFastPathTests {
    @Test func aSocketFolderOpenToOthersSendsTheCommandTheWholeWay() throws {
        let dir = try ProjectPaths.freshDirectory("fast-path")
        defer { HeatersCLI.stopAndRemove(dir) }
        let started = try HeatersCLI.run(["db", "start"], dataDirectory: dir)
        #expect(started.status == 0, "\(started.output)")
        let link = dir.appendingPathComponent("postgres")
        let base = (try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)).map(URL.init(fileURLWithPath:)) ?? link
        let socketFolder = base.appendingPathComponent("run").path
        func mode() throws -> Int {
            try (FileManager.default.attributesOfItem(atPath: socketFolder)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        #expect(try mode() == 0o700)
        chmod(socketFolder, 0o755)
        let status = try HeatersCLI.run(["status"], dataDirectory: dir)
        #expect(status.status == 0, "\(status.output)")
        #expect(try mode() == 0o700, "the command took the fast path past a socket folder open to others")
    }
}
