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

    /// testsrc2 as H.264 (yuv420p) in MP4, optionally with a sine-tone AAC track, and with a
    /// key frame every `keyframeInterval` frames when given (x264's default otherwise).
    @discardableResult
    static func testPattern(
        at output: URL, seconds: Int = 2, width: Int = 320, height: Int = 240, rate: Int = 25,
        withAudio: Bool = false, keyframeInterval: Int? = nil
    ) throws -> URL {
        var arguments = ["-f", "lavfi", "-i", "testsrc2=size=\(width)x\(height):rate=\(rate)"]
        if withAudio { arguments += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"] }
        arguments += ["-t", "\(seconds)", "-c:v", "libx264", "-pix_fmt", "yuv420p"]
        if let keyframeInterval { arguments += ["-g", "\(keyframeInterval)"] }
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

    /// testsrc2 stored losslessly (FFV1 in Matroska) in `pixelFormat`, optionally with a sine
    /// tone as FLAC; decoding it gives exactly the generated pixels.
    @discardableResult
    static func losslessPattern(
        at output: URL, seconds: Int = 1, width: Int = 320, height: Int = 240, rate: String = "25",
        pixelFormat: String = "yuv420p", withAudio: Bool = false
    ) throws -> URL {
        var arguments = ["-f", "lavfi", "-i", "testsrc2=size=\(width)x\(height):rate=\(rate)"]
        if withAudio { arguments += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"] }
        arguments += ["-t", "\(seconds)", "-c:v", "ffv1", "-pix_fmt", pixelFormat]
        arguments += withAudio ? ["-c:a", "flac"] : ["-an"]
        try run(arguments + [output.path])
        return output
    }

    /// 2 s of lossless testsrc2 (25 fps) and 1 s of a FLAC sine tone in Matroska, the audio
    /// starting `audioDelay` seconds after the video (negative: the video starts later).
    @discardableResult
    static func offsetAudioPattern(at output: URL, audioDelay: Double) throws -> URL {
        let videoOffset = audioDelay < 0 ? ["-itsoffset", "\(-audioDelay)"] : []
        let audioOffset = audioDelay > 0 ? ["-itsoffset", "\(audioDelay)"] : []
        try run(videoOffset + ["-f", "lavfi", "-t", "2", "-i", "testsrc2=size=160x120:rate=25"]
                + audioOffset + ["-f", "lavfi", "-t", "1", "-i", "sine=frequency=440:sample_rate=8000"]
                + ["-c:v", "ffv1", "-pix_fmt", "yuv420p", "-c:a", "flac", output.path])
        return output
    }

    /// The first audio stream decoded to mono 16-bit samples (ffmpeg CLI), for sample-level checks.
    static func monoSamples(of input: URL) throws -> [Int16] {
        let output = input.deletingLastPathComponent()
            .appendingPathComponent("\(input.lastPathComponent).\(UUID().uuidString.prefix(6)).s16")
        defer { try? FileManager.default.removeItem(at: output) }
        try run(["-i", input.path, "-map", "0:a:0", "-ac", "1", "-f", "s16le", "-c:a", "pcm_s16le", output.path])
        let data = try Data(contentsOf: output)
        return data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }

    /// testsrc2 at `rate` with every fifth frame removed and the survivors keeping their
    /// timestamps (H.264 in Matroska): a variable-frame-rate source with regular gaps.
    @discardableResult
    static func variableRatePattern(at output: URL, seconds: Int = 2, rate: Int = 30) throws -> URL {
        try run(["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=\(rate)", "-t", "\(seconds)",
                 "-vf", "select='not(eq(mod(n\\,5)\\,2))'", "-fps_mode", "vfr",
                 "-c:v", "libx264", "-pix_fmt", "yuv420p", output.path])
        return output
    }

    /// The per-frame MD5s of the first video stream's decoded frames (ffmpeg's framemd5 muxer),
    /// in order; frames with equal pixels have equal entries.
    static func frameMD5s(of input: URL) throws -> [String] {
        let output = input.deletingLastPathComponent()
            .appendingPathComponent("\(input.lastPathComponent).\(UUID().uuidString.prefix(6)).framemd5")
        defer { try? FileManager.default.removeItem(at: output) }
        try run(["-i", input.path, "-map", "0:v:0", "-f", "framemd5", output.path])
        let text = try String(contentsOf: output, encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            line.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) }
        }
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
