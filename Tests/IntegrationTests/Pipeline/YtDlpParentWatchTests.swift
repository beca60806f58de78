import Foundation
@testable import Support
import Testing

/// A worker killed with SIGKILL mid-download leaves no yt-dlp downloading on: the watched
/// yt-dlp (as the download stage runs it) ends within seconds of its parent, while plain
/// yt-dlp, started the same way, outlives it — the defect the watch fixes. The parent here is
/// a small Python process that starts the child in a process group of its own, as
/// ProcessRunner does, and is then killed; the child waits on a server that never answers.
@Suite(.timeLimit(.minutes(12))) struct YtDlpParentWatchTests {
    @Test func aWatchedYtDlpEndsWithItsKilledParentAndAPlainOneDoesNot() throws {
        let silent = try LoopbackPostgres(.silent)  // accepts and never answers: a download that hangs
        defer { silent.stop() }
        let tools = PythonTools(venv: ProjectPaths.venv)
        let folder = try ProjectPaths.freshDirectory("ytdlp-watch")
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["--ignore-config", "--socket-timeout", "300", "--output", folder.appendingPathComponent("d.%(ext)s").path,
                         "--", "http://127.0.0.1:\(silent.port)/video.mp4"]
        let watched = try #require(tools.watchedYtDlp(arguments, parent: 0))
        let watchedChild = try Self.orphan([watched.executable.path] + watched.arguments, parentArgument: 4)
        let plainChild = try Self.orphan([try #require(tools.ytDlp).path] + arguments, parentArgument: nil)
        defer { kill(plainChild, SIGKILL) }
        #expect(Self.waitUntilGone(watchedChild, timeout: 10), "the watched yt-dlp outlived its killed parent")
        #expect(!Self.waitUntilGone(plainChild, timeout: 3), "plain yt-dlp should outlive its parent (the defect)")
    }

    /// Starts `command` from a Python parent (the child in a new process group), waits until
    /// the child runs, SIGKILLs the parent and returns the child's pid. `parentArgument` is
    /// the index of the argument to replace by the parent's pid.
    static func orphan(_ command: [String], parentArgument: Int?) throws -> Int32 {
        let script = """
            import json, os, subprocess, sys, time
            command = json.loads(sys.argv[1])
            index = int(sys.argv[2])
            if index >= 0:
                command[index] = str(os.getpid())
            child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, process_group=0)
            print(child.pid, flush=True)
            time.sleep(600)
            """
        let json = String(decoding: try JSONSerialization.data(withJSONObject: command), as: UTF8.self)
        let parent = Process()
        parent.executableURL = ProjectPaths.venv.appendingPathComponent("bin/python")
        parent.arguments = ["-c", script, json, String(parentArgument ?? -1)]
        let output = Pipe()
        parent.standardOutput = output
        try parent.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let child = try #require(Int32(line.trimmingCharacters(in: .whitespacesAndNewlines)), "no child pid: \(line)")
        usleep(2_000_000)  // yt-dlp started and is waiting on the silent server
        #expect(isRunning(child), "the child did not start")
        kill(parent.processIdentifier, SIGKILL)
        parent.waitUntilExit()
        return child
    }

    /// Alive and not a zombie (an orphan's exit may wait for a reaper that never comes here).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    static func waitUntilGone(_ pid: Int32, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !isRunning(pid) { return true }
            usleep(100_000)
        }
        return !isRunning(pid)
    }
}
