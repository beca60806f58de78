import CCurl
import Support

/// What can go wrong talking to an object store. Messages never include credentials.
public enum StorageError: OutageSignalling, Equatable, CustomStringConvertible {
    /// The request itself is malformed (caught before anything is sent).
    case invalidRequest(String)
    /// libcurl failed: `message` is curl's text for `code`, plus its detail when it gave one.
    case curl(operation: String, code: Int32, message: String)
    /// A storage key that could escape the store's root, or is otherwise unusable.
    case invalidKey(String, reason: String)
    /// No object under this key.
    case notFound(key: String)
    /// The store answered with an error (S3 status and code, or a file system error).
    case failed(operation: String, message: String)
    /// The store cannot serve for now: S3 kept answering 5xx or 429, or the disk is full.
    case unavailable(operation: String, message: String)

    public var description: String {
        switch self {
        case .invalidRequest(let reason): "invalid request: \(reason)"
        case .curl(let operation, let code, let message): "\(operation) failed: \(message) (curl \(code))"
        case .invalidKey(let key, let reason): "invalid storage key \"\(key)\": \(reason)"
        case .notFound(let key): "no object at \(key)"
        case .failed(let operation, let message): "\(operation) failed: \(message)"
        case .unavailable(let operation, let message): "\(operation) failed: \(message) (the store is unavailable for now)"
        }
    }

    /// Transport failures (no connection, a reset, a stall, a cut transfer) and an
    /// unavailable store are outages; a malformed request or a missing object is not.
    public var isOutage: Bool {
        switch self {
        case .unavailable: true
        case .curl(_, let code, _): Self.transientCurlCodes.contains(code)
        default: false
        }
    }

    /// CURLE_COULDNT_RESOLVE_PROXY/HOST (5, 6), COULDNT_CONNECT (7), PARTIAL_FILE (18),
    /// OPERATION_TIMEDOUT (28), GOT_NOTHING (52), SEND_ERROR (55), RECV_ERROR (56),
    /// HTTP2 (16), HTTP2_STREAM (92).
    static let transientCurlCodes: Set<Int32> = [5, 6, 7, 16, 18, 28, 52, 55, 56, 92]

    /// Throws `.curl` unless `code` is CURLE_OK. `detail` is curl's error buffer, which says
    /// more than `curl_easy_strerror` (host names, TLS reasons) but never the user/password.
    static func throwIfFail(_ code: CURLcode, _ operation: @autoclosure () -> String, detail: String = "") throws(StorageError) {
        guard code != CURLE_OK else { return }
        var message = String(cString: curl_easy_strerror(code))
        if !detail.isEmpty { message += ": \(detail)" }
        throw .curl(operation: operation(), code: Int32(bitPattern: code.rawValue), message: message)
    }
}
