import CFFmpeg
import Foundation
import Testing

/// What a heaters process loads before main: libav* (with the ~130 codec libraries it brings)
/// only on the first media call, so that commands touching no media start fast; and when that
/// call cannot load it, a message saying what to install instead of a crash.
@Suite(.timeLimit(.minutes(12))) struct StartupTests {
    @Test func aCommandStartsWithoutLoadingLibav() throws {
        // LD_TRACE_LOADED_OBJECTS makes the dynamic loader list what it loads and stop (ldd).
        let outcome = try HeatersCLI.runProgram(ProjectPaths.heatersBinary, ["--help"],
                                                environment: ["LD_TRACE_LOADED_OBJECTS": "1"])
        #expect(outcome.stdout.contains("libpq.so"), "\(outcome.output)")
        for library in ["libavformat", "libavcodec", "libavutil", "libswscale", "libswresample"] {
            #expect(!outcome.stdout.contains(library), "\(library) is loaded at start-up:\n\(outcome.stdout)")
        }
    }

    @Test func aLibavThatCannotLoadIsNamedWithItsFix() throws {
        let dir = try ProjectPaths.freshDirectory("libav-missing")
        defer { HeatersCLI.stopAndRemove(dir) }
        // An empty file found first on LD_LIBRARY_PATH: dlopen refuses it as it would a missing library.
        let broken = dir.appendingPathComponent("lib")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        let soname = "libavformat.so.\(LIBAVFORMAT_VERSION_MAJOR)"
        FileManager.default.createFile(atPath: broken.appendingPathComponent(soname).path, contents: Data())
        let video = dir.appendingPathComponent("some.mp4")
        try Data(repeating: 0, count: 4096).write(to: video)
        let env = ["LD_LIBRARY_PATH": broken.path]

        // Commands that touch no media never call into libav, so they run without it.
        for arguments in [["--help"], ["db", "url"], ["status"]] {
            let outcome = try HeatersCLI.run(arguments, dataDirectory: dir, extra: env)
            #expect(outcome.status == 0 && !outcome.stderr.contains("cannot load"), "\(arguments): \(outcome.output)")
        }

        let detect = try HeatersCLI.run(["detect", video.path], dataDirectory: dir, extra: env)
        #expect(detect.status == 69, "\(detect.output)")
        #expect(detect.stderr.contains("cannot load \(soname)"), "\(detect.output)")
        #expect(detect.stderr.contains("apt install ffmpeg"), "\(detect.output)")

        // Workers and the station check before they start, rather than failing the first media job.
        let workers = try HeatersCLI.run(["--headless", "--until-idle"], dataDirectory: dir, extra: env)
        #expect(workers.status == 69, "\(workers.output)")
        #expect(workers.stderr.contains("cannot load \(soname)") && workers.stderr.contains("apt install ffmpeg"),
                "\(workers.output)")

        let doctor = try HeatersCLI.run(["doctor", "--json"], dataDirectory: dir, extra: env)
        #expect(doctor.status == 1, "\(doctor.output)")
        let checks = try JSONSerialization.jsonObject(with: Data(doctor.stdout.utf8)) as? [[String: Any]] ?? []
        let libav = checks.first { $0["name"] as? String == "libav" }
        #expect(libav?["status"] as? String == "failed", "\(checks)")
        #expect((libav?["detail"] as? String)?.contains("cannot load \(soname)") == true, "\(checks)")
        #expect((libav?["fix"] as? String)?.contains("apt install ffmpeg") == true, "\(checks)")
        // The rest of the checks still ran: only libav fails.
        #expect(checks.contains { $0["name"] as? String == "libpq" && $0["status"] as? String == "ok" })
    }
}
