import CFFmpeg

/// How a file was made to decode cleanly.
public enum NormalizationStep: String, Sendable {
    /// It already did.
    case none
    /// Stream copy into a fresh MP4 with mended timestamps (`Remuxer`).
    case remux
    /// Decoded and encoded again as H.264 + AAC in MP4 (`Reencoder`).
    case reencode
}

/// What normalization did to one file.
public struct Normalization: Sendable {
    public var step: NormalizationStep
    /// The file to keep: the input itself for `.none`, else a new MP4 in the work folder.
    public var path: String
    /// Why the input needed the step (the check's findings), or "decodes cleanly".
    public var reason: String

    public init(step: NormalizationStep, path: String, reason: String) {
        self.step = step
        self.path = path
        self.reason = reason
    }
}

/// Makes a downloaded file decode cleanly, as cheaply as possible: the file is checked
/// (`DecodeCheck`); if it has problems it is re-muxed and checked again; if it still has
/// problems it is re-encoded and checked again. A file that even the re-encode cannot make clean
/// is beyond repair and throws `.undecodable` with every step's finding in the reason.
///
/// Progress: the first check 0–5%, the re-mux and its check up to 20%, the re-encode and its
/// check the rest. A re-mux costs about one copy of the file; a re-encode about one full
/// decode and encode (real time or slower for 1080p on two cores).
public enum Normalizer {
    public static func normalize(input: String, workFolder: String, budget: DecodeCheck.Budget = DecodeCheck.Budget(),
                                 progress: (Double) -> Void = { _ in },
                                 isCancelled: () -> Bool = { false }) throws(MediaError) -> Normalization {
        let first = try DecodeCheck.run(path: input, budget: budget, isCancelled: isCancelled)
        progress(0.05)
        guard !first.isClean else { return Normalization(step: .none, path: input, reason: first.summary) }

        let remuxed = workFolder + "/normalized-remux.mp4"
        let remux = try attempt(.remux, checking: remuxed, budget: budget, isCancelled: isCancelled) { () throws(MediaError) in
            try Remuxer.run(input: input, output: remuxed, progress: { progress(0.05 + 0.12 * $0) }, isCancelled: isCancelled)
        }
        progress(0.2)
        if remux.isClean { return Normalization(step: .remux, path: remuxed, reason: first.summary) }

        let reencoded = workFolder + "/normalized-reencode.mp4"
        let reencode = try attempt(.reencode, checking: reencoded, budget: budget, isCancelled: isCancelled) { () throws(MediaError) in
            try Reencoder.run(input: input, output: reencoded, progress: { progress(0.2 + 0.75 * $0) }, isCancelled: isCancelled)
        }
        progress(1)
        if reencode.isClean { return Normalization(step: .reencode, path: reencoded, reason: first.summary) }
        throw .undecodable(path: input, reason: "\(first.summary); \(remux.finding); \(reencode.finding)")
    }

    /// Runs one repair step, then checks what it wrote. Returns whether that is clean, and
    /// otherwise what is still wrong (or why the step failed), for the final message.
    private static func attempt(_ step: NormalizationStep, checking output: String, budget: DecodeCheck.Budget,
                                isCancelled: () -> Bool,
                                _ repair: () throws(MediaError) -> Void) throws(MediaError) -> (isClean: Bool, finding: String) {
        let name = step == .remux ? "re-mux" : "re-encode"
        do {
            try repair()
            let check = try DecodeCheck.run(path: output, budget: budget, isCancelled: isCancelled)
            return (check.isClean, "after a \(name): \(check.summary)")
        } catch .cancelled {
            throw .cancelled
        } catch .libav(let operation, let code, let message)
                    where [ENOSPC, ENOMEM, EIO].map(heaters_AVERROR).contains(code) {
            // Disk full, memory, I/O: not the file's fault, so not a verdict on it.
            throw .libav(operation: operation, code: code, message: message)
        } catch .undecodable(_, let reason) {
            return (false, "the \(name) gave up: \(reason)")
        } catch {
            return (false, "the \(name) failed: \(error)")
        }
    }
}
