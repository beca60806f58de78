import Domain
import Database
import Foundation
import Media
import Queue
import Storage
import Support

/// Ingest: brings a submitted source into the object store as its original and records
/// what probing it found. A local path takes the same route as a download, minus yt-dlp.
/// Input that cannot become a video (missing, empty, not media, audio only, a still image,
/// a URL yt-dlp does not handle) fails at once with a message a person understands.
enum DownloadStage {
    /// yt-dlp's quality-first format, and the compatibility fallback (DESIGN.md).
    static let primaryFormat = "bv*[ext=mp4]+ba[ext=m4a]/b[ext=mp4]/bv*+ba/b"
    static let fallbackFormat = "bestvideo[ext=mp4][vcodec^=avc1]+bestaudio[ext=m4a]/best[ext=mp4]/best"

    static func work(_ context: StageContext) throws -> StageResult {
        let services = context.services
        let storage = services.storage
        guard let source = try SourceVideoQueries.submitted(services.database, id: context.job.subjectID) else {
            throw PermanentFailure("source video \(context.job.subjectID) no longer exists")
        }
        let folder = try context.freshScratchFolder("download")
        defer { try? FileManager.default.removeItem(at: folder) }

        var file: URL
        var shownPath: String?
        var method = "local"
        if isURL(source.sourceURI) {
            (file, method) = try download(source.sourceURI, into: folder, tools: services.tools, isCancelled: context.isCancelled,
                                          progress: { context.progress(0.75 * $0) })
        } else {
            (file, shownPath) = try localFile(source.sourceURI, in: folder)
        }
        context.progress(0.75)
        var info = try probe(file, shownAs: shownPath)
        var normalization = Normalization(step: .none, path: file.path, reason: "not checked: only primary downloads are")
        if method == "primary" {
            // The quality-first format merges separate streams, which can leave a file that
            // does not decode cleanly; the fallback formats are single pre-merged files.
            normalization = try normalize(file, in: folder, context: context)
            if normalization.step != .none {
                file = URL(fileURLWithPath: normalization.path)
                info = try probe(file)
            }
        }
        context.progress(0.92)
        let key = try StorageKey(joining: "sources", String(source.id), "original.\(safeExtension(file))")
        try storage.put(file: file, key: key)
        Failpoint.hit("download-stored")
        // An earlier attempt may have stored the original under another extension (yt-dlp
        // picked another format); no row names it (only a completed attempt records one), so
        // it is an orphan.
        for stale in try storage.list(prefix: "sources/\(source.id)/original.") where stale != key {
            try storage.delete(key: stale)
        }
        let id = source.id, recorded = probed(info)
        // Recorded in the transaction that completes the job, after its lease is checked: a
        // worker whose job was taken over writes nothing.
        return StageResult(json: try resultJSON(method: method, key: key, normalization: normalization)) { tx in
            try SourceVideoQueries.recordOriginal(tx, id: id, key: key.value, probed: recorded)
        }
    }

    /// The file to ingest for a local source: the stored path itself, or, for a path that is
    /// not valid UTF-8 (stored in its `file://` form, see `LocalPath`), a copy in the scratch
    /// folder under a safe name, read through the path's bytes (a `String` would name another
    /// file). Returns the file, and for a copy the submitted path as messages show it.
    static func localFile(_ sourceURI: String, in folder: URL) throws -> (file: URL, shownPath: String?) {
        guard let path = LocalPath(sourceURI: sourceURI), path.text == nil else {
            return (URL(fileURLWithPath: sourceURI), nil)  // an ordinary path, opened as it always was
        }
        let copy = folder.appendingPathComponent("local-original.\(path.safeExtension)")
        do {
            try path.copy(to: copy)
        } catch where Outage.isOutage(error) {
            throw error  // the disk is full, not the file bad
        } catch {
            throw PermanentFailure("\(error)")
        }
        return (copy, path.displayText)
    }

    static func isURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// Checks that the file is a real video and describes it. Messages name `shownPath` (the
    /// submitted path of a copy) when given, else the file's own path.
    static func probe(_ file: URL, shownAs shownPath: String? = nil) throws -> MediaInfo {
        let shown = shownPath ?? file.path
        let name = (shown as NSString).lastPathComponent
        let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
        guard let size = (attributes?[.size] as? NSNumber)?.intValue else {
            throw PermanentFailure("the file \(shown) does not exist or cannot be read")
        }
        guard size > 0 else { throw PermanentFailure("the file \(shown) is empty (0 bytes)") }
        let info: MediaInfo
        do {
            info = try VideoProbe.probe(path: file.path)
        } catch .noVideoStream {
            throw PermanentFailure("\(name) has no video stream (audio only?)")
        } catch .notMedia(_, let reason) {
            throw PermanentFailure("\(name) is not a video file heaters can read (\(reason))")
        } catch .fileNotFound {
            throw PermanentFailure("the file \(shown) does not exist")
        } catch {
            throw PermanentFailure("\(name) could not be opened as a video: \(error)")
        }
        let stillFormats = ["image2", "png_pipe", "jpeg_pipe", "bmp_pipe", "webp_pipe", "tiff_pipe"]
        if stillFormats.contains(where: { info.containerFormat.contains($0) }) {
            throw PermanentFailure("\(name) is a still image, not a video")
        }
        guard info.width > 0, info.height > 0, info.durationSeconds > 0 else {
            throw PermanentFailure("\(name) has no playable video (size \(info.width)×\(info.height), "
                                   + "duration \(info.durationSeconds) s)")
        }
        try checkFrameRate(info, name: name)
        try checkDimensions(info, name: name)
        return info
    }

    /// The largest picture side heaters takes: 8K (8192). Larger frames are hundreds of
    /// megabytes each to decode, and the lossless gold master of such a video does not fit a
    /// worker's memory and disk; a file merely claiming such a size is refused the same way.
    static let maximumSide = 8192

    static func checkDimensions(_ info: MediaInfo, name: String) throws {
        guard info.width > maximumSide || info.height > maximumSide else { return }
        throw PermanentFailure("\(name) is \(info.width)×\(info.height) pixels; heaters takes videos up to \(maximumSide) "
                               + "pixels a side: scale it down first, e.g. ffmpeg -i IN -vf scale=3840:-2 OUT")
    }

    /// The rate the frames are cut and timed by: a file declaring none, or an absurd one, is
    /// bad input (a permanent failure saying so) rather than a value the schema's CHECK refuses
    /// later with a raw SQL error that would be retried as if the database had gone away.
    static func checkFrameRate(_ info: MediaInfo, name: String) throws {
        let fps = info.framesPerSecond
        guard fps.isFinite, fps >= 1, fps <= 1000 else {
            throw PermanentFailure("\(name) declares a frame rate of \(info.frameRate) (\(fps) fps), which heaters cannot "
                                   + "cut into frames (1–1000 fps): re-encode it at a constant rate, e.g. ffmpeg -i IN -r 25 OUT")
        }
    }

    /// yt-dlp with the quality-first format, then the compatibility fallback.
    static func download(_ url: String, into folder: URL, tools: PythonTools?, isCancelled: @escaping () -> Bool = { false },
                         progress: @escaping @Sendable (Double) -> Void) throws -> (URL, String) {
        guard let tools, tools.ytDlp != nil, tools.python != nil else {
            throw PermanentFailure("yt-dlp is not installed: " + PythonTools.fix)
        }
        var lastError = ""
        for (format, method) in [(primaryFormat, "primary"), (fallbackFormat, "fallback")] {
            // Each format downloads into a folder of its own: a partial primary must never be
            // mistaken for the fallback's file.
            let attempt = folder.appendingPathComponent(method)
            try FileManager.default.createDirectory(at: attempt, withIntermediateDirectories: true)
            let outcome: ProcessRunner.Outcome
            do {
                // Under a watch on this process: yt-dlp stops itself if a kill -9 ends this worker.
                guard let command = tools.watchedYtDlp([
                    // --ignore-config: the user's yt-dlp configuration (output templates, --simulate,
                    // proxies) is for their own use, not for what heaters stores.
                    "--ignore-config", "--no-playlist", "--newline", "--no-warnings", "--restrict-filenames",
                    "--progress-template", "download:heaters-progress %(progress._percent_str)s",
                    "--format", format, "--merge-output-format", "mp4",
                    "--output", attempt.appendingPathComponent("download.%(ext)s").path, "--", url]) else {
                    throw PermanentFailure("yt-dlp is not installed: " + PythonTools.fix)  // removed meanwhile
                }
                outcome = try BlockingProcess.runStreaming(command.executable, command.arguments, isCancelled: isCancelled) { line in
                    if let fraction = YtDlpProgress.fraction(line) { progress(fraction) }
                }
            } catch is BlockingProcess.Cancelled {
                throw JobInterruption()  // stopping or cancelled: yt-dlp was stopped, the job is handed back
            }
            let produced = (try? FileManager.default.contentsOfDirectory(atPath: attempt.path))?
                .filter { $0.hasPrefix("download.") && !$0.hasSuffix(".part") && !$0.hasSuffix(".ytdl") } ?? []
            if outcome.succeeded, let name = produced.first {
                return (attempt.appendingPathComponent(name), method)
            }
            lastError = outcome.standardError.split(separator: "\n").last { $0.contains("ERROR") }.map(String.init)
                ?? outcome.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            if lastError.contains("Unsupported URL") || lastError.contains("is not a valid URL") { break }
        }
        // The URL may carry credentials or a signed token: the message (stored, shown by
        // status) gets its redacted form, in heaters' words and in yt-dlp's echo of it.
        let message = URLRedaction.redacting(url, in: "yt-dlp could not download \(url): "
                                             + (lastError.isEmpty ? "no file was produced" : lastError))
        if lastError.contains("Unsupported URL") || lastError.contains("is not a valid URL") || lastError.contains("404") {
            throw PermanentFailure(message)
        }
        throw DownloadFailure(description: message)  // network trouble: worth a retry
    }

    /// What the source's row records of a probe.
    static func probed(_ info: MediaInfo) -> SourceVideoQueries.Probed {
        SourceVideoQueries.Probed(
            durationSeconds: info.durationSeconds, framesPerSecond: info.framesPerSecond,
            frameRate: "\(info.frameRate.numerator)/\(info.frameRate.denominator)",
            variableFrameRate: info.variableFrameRateSuspected, width: info.width, height: info.height,
            rotation: info.rotation, hasAudio: info.hasAudio, videoCodec: info.videoCodec, container: info.containerFormat)
    }

    /// The extension for the stored original: short, lower-case letters and digits only.
    static func safeExtension(_ file: URL) -> String {
        let ext = file.pathExtension.lowercased()
        return (1...5).contains(ext.count) && ext.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) ? ext : "bin"
    }

    struct DownloadFailure: Error, CustomStringConvertible {
        let description: String
    }
}
