#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension HeatersCLI {
    /// Runs heaters with arguments given as bytes, which need not be valid UTF-8 (Foundation's
    /// `Process` takes Strings, so it cannot pass such a path). Same binary and environment as
    /// `run`; output goes through files in `dataDirectory`.
    static func run(rawArguments: [[UInt8]], dataDirectory: URL) throws -> Outcome {
        let program = ProjectPaths.heatersBinary.path
        let environment = environment(dataDirectory: dataDirectory).map { "\($0.key)=\($0.value)" }
        let argv = cStrings([Array(program.utf8)] + rawArguments)
        let envp = cStrings(environment.map { Array($0.utf8) })
        defer { (argv + envp).forEach { $0?.deallocate() } }

        let stdoutFile = dataDirectory.appendingPathComponent("raw-spawn.stdout")
        let stderrFile = dataDirectory.appendingPathComponent("raw-spawn.stderr")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        var pid = pid_t()
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, envp)
        guard spawned == 0 else { throw FixtureError("posix_spawn \(program): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED/WEXITSTATUS are macros Swift cannot import: exit code in bits 8–15, signal in 0–6.
        let exitCode = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Outcome(status: exitCode,
                       stdout: (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "")
    }

    /// NUL-terminated copies of `strings` and a final nil, as argv and envp must be.
    private static func cStrings(_ strings: [[UInt8]]) -> [UnsafeMutablePointer<CChar>?] {
        strings.map { bytes in
            let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            for (index, byte) in bytes.enumerated() { pointer[index] = CChar(bitPattern: byte) }
            pointer[bytes.count] = 0
            return pointer
        } + [nil]
    }
}
