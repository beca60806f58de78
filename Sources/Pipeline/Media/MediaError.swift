import CFFmpeg
import Support

/// Everything that can go wrong reading media through libav, with libav's own message.
public enum MediaError: OutageSignalling, Equatable, CustomStringConvertible {
    /// Nothing exists at the path.
    case fileNotFound(path: String)
    /// The file exists but libav cannot read it as a media container.
    case notMedia(path: String, reason: String)
    /// The container has no video stream (for example an audio-only file).
    case noVideoStream(path: String)
    /// A libav call failed after the file was opened.
    case libav(operation: String, code: Int32, message: String)
    /// The file opened but its video could not be decoded (too many corrupt packets, no frames).
    case undecodable(path: String, reason: String)
    /// The caller asked a long operation (preprocessing) to stop.
    case cancelled

    public var description: String {
        switch self {
        case .fileNotFound(let path): "no such file: \(path)"
        case .notMedia(let path, let reason): "not a media file: \(path) (\(reason))"
        case .noVideoStream(let path): "no video stream in \(path)"
        case .libav(let operation, let code, let message): "\(operation) failed: \(message) (\(code))"
        case .undecodable(let path, let reason): "cannot decode \(path): \(reason)"
        case .cancelled: "cancelled"
        }
    }

    /// A libav call that failed because the disk is full (AVERROR(ENOSPC) is -ENOSPC).
    public var isOutage: Bool {
        if case .libav(_, let code, _) = self { return code < 0 && Outage.isOutage(errno: -code) }
        return false
    }

    /// libav's text for a negative error code (what av_err2str would print).
    static func message(for code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: Int(AV_ERROR_MAX_STRING_SIZE))
        let size = buffer.count
        return buffer.withUnsafeMutableBufferPointer { raw in
            String(cString: heaters_av_err2str(code, raw.baseAddress, size))
        }
    }

    /// Throws `.libav` when a libav call returned a negative code; returns the code otherwise,
    /// since many libav calls return a useful non-negative value (a stream index, a count).
    @discardableResult
    static func throwIfFail(_ code: Int32, _ operation: @autoclosure () -> String) throws(MediaError) -> Int32 {
        guard code < 0 else { return code }
        throw .libav(operation: operation(), code: code, message: message(for: code))
    }
}
