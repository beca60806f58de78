import Foundation

/// The real readers the timeline tests check heaters' files with, run as child processes.
enum TimelineReaders {
    struct Scene: Decodable, Equatable {
        var start: Int
        var end: Int
    }

    /// .venv-bench's python (made on first use by scripts/bench_venv.py, as the scene benchmark does).
    static func benchPython() throws -> URL {
        let script = ProjectPaths.root.appendingPathComponent("scripts/bench_venv.py")
        let outcome = try HeatersCLI.runProgram(URL(fileURLWithPath: "/usr/bin/python3"), [script.path])
        guard outcome.status == 0 else { throw FixtureError("could not make .venv-bench: \(outcome.output)") }
        return URL(fileURLWithPath: outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The scenes PySceneDetect's `load-scenes` reads from `csv` for `video`, `[start, end)` frames.
    static func pySceneDetectScenes(video: URL, csv: URL) throws -> [Scene] {
        let script = ProjectPaths.root.appendingPathComponent("Tests/IntegrationTests/Fixtures/read-scene-csv.py")
        let outcome = try HeatersCLI.runProgram(try benchPython(), [script.path, video.path, csv.path])
        guard outcome.status == 0 else { throw FixtureError("PySceneDetect refused \(csv.lastPathComponent): \(outcome.output)") }
        return try JSONDecoder().decode([Scene].self, from: Data(outcome.stdout.utf8))
    }
}
