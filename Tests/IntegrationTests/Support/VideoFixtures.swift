import Foundation

/// Media files made at test time with the ffmpeg CLI, so no binary fixtures live in git.
/// ffmpeg runs with an argument vector (never through a shell); a failure throws with
/// ffmpeg's stderr, which fails the calling test with the reason visible.
enum VideoFixtures {
    /// ffmpeg exited non-zero or could not start.
    struct FFmpegFailed: Error, CustomStringConvertible {
        var arguments: [String]
        var status: Int32
        var stderr: String
        var description: String { "ffmpeg \(arguments.joined(separator: " ")) exited \(status):\n\(stderr)" }
    }

    /// The ffmpeg executable: `HEATERS_FFMPEG`, else the first `ffmpeg` on PATH.
    static var ffmpeg: URL {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["HEATERS_FFMPEG"] { return URL(fileURLWithPath: explicit) }
        let directories = (environment["PATH"] ?? "/usr/bin").split(separator: ":")
        for directory in directories {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("ffmpeg")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return URL(fileURLWithPath: "/usr/bin/ffmpeg")
    }

    /// testsrc2 as H.264 (yuv420p) in MP4, optionally with a sine-tone AAC track.
    @discardableResult
    static func testPattern(
        at output: URL, seconds: Int = 2, width: Int = 320, height: Int = 240, rate: Int = 25,
        withAudio: Bool = false
    ) throws -> URL {
        var arguments = ["-f", "lavfi", "-i", "testsrc2=size=\(width)x\(height):rate=\(rate)"]
        if withAudio { arguments += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"] }
        arguments += ["-t", "\(seconds)", "-c:v", "libx264", "-pix_fmt", "yuv420p"]
        arguments += withAudio ? ["-c:a", "aac"] : ["-an"]
        try run(arguments + [output.path])
        return output
    }

    /// A sine tone with no video stream.
    @discardableResult
    static func sineAudio(at output: URL, seconds: Int = 1) throws -> URL {
        try run(["-f", "lavfi", "-i", "sine=frequency=440:duration=\(seconds)", "-c:a", "aac", output.path])
        return output
    }

    /// A stream copy of `input` whose video carries a display matrix from the legacy
    /// `rotate` tag (what FFmpeg 5.1's MP4 muxer understands).
    @discardableResult
    static func remux(_ input: URL, to output: URL, rotateTag degrees: Int) throws -> URL {
        try run(["-i", input.path, "-c", "copy", "-metadata:s:v:0", "rotate=\(degrees)", output.path])
        return output
    }

    /// Runs ffmpeg quietly, overwriting outputs; throws `FFmpegFailed` with its stderr.
    static func run(_ arguments: [String]) throws {
        let full = ["-nostdin", "-hide_banner", "-loglevel", "error", "-y"] + arguments
        let process = Process()
        process.executableURL = ffmpeg
        process.arguments = full
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw FFmpegFailed(arguments: full, status: -1, stderr: "\(ffmpeg.path): \(error)")
        }
        // Drain stderr before waiting so a chatty ffmpeg cannot block on a full pipe.
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FFmpegFailed(arguments: full, status: process.terminationStatus,
                               stderr: String(decoding: stderr, as: UTF8.self))
        }
    }
}
