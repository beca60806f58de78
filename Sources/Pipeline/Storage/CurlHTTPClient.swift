import CCurl
import Foundation
import Support

/// A blocking HTTP client over one libcurl easy handle, with optional AWS SigV4 signing by
/// libcurl itself (CURLOPT_AWS_SIGV4). One client serves one thread at a time (a curl easy
/// handle is not thread-safe: `CurlClientPool` hands each client to one thread at a time);
/// reusing it across requests reuses its connections.
public final class CurlHTTPClient: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    /// CURLOPT_ERRORBUFFER must outlive every perform, so the client owns it.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let timeoutSeconds: Int

    /// curl_global_init must run once before any handle exists; a static let is initialised
    /// exactly once, thread-safely, on first use.
    private static let globalInit: CURLcode = heaters_curl_global_init_default()

    /// A transfer slower than this many bytes a second for `stallSeconds` is a stall: it is
    /// cut (and retried by the caller) whatever its size, where a total timeout would cut a
    /// multi-GB transfer that is merely long.
    static let stallBytesPerSecond = 1024
    static let stallSeconds = 60

    /// - Parameter timeoutSeconds: limit for a whole request, 0 (the default) for none: a
    ///   stall is caught by the low-speed limit instead.
    public init(timeoutSeconds: Int = 0) throws(StorageError) {
        try StorageError.throwIfFail(Self.globalInit, "curl_global_init")
        guard let handle = curl_easy_init() else {
            throw .curl(operation: "curl_easy_init", code: -1, message: "could not create a curl handle")
        }
        self.handle = handle
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        self.errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        self.timeoutSeconds = timeoutSeconds
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Sends `request`, signing it with SigV4 when `signing` is given, and waits for the
    /// whole response. Throws only when no HTTP response was obtained. With `bodyFile`, a 2xx
    /// response's body is streamed into that file (created or truncated) rather than held in
    /// memory, and the response's `body` is empty; other statuses' bodies (error documents)
    /// stay in memory.
    public func perform(_ request: HTTPRequest, signing: AWSSigning? = nil, bodyFile: URL? = nil) throws(StorageError) -> HTTPResponse {
        for header in request.headers where (header.name + header.value).contains(where: \.isNewline) {
            throw .invalidRequest("line break in header \(header.name)")
        }
        curl_easy_reset(handle)  // forget the previous request's options, keep its connections
        errorBuffer[0] = 0
        let transfer = Transfer(upload: uploadBody(for: request), bodyFile: bodyFile)
        defer { transfer.closeFile() }

        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for header in headerLines(for: request, signing: signing) {
            headerList = curl_slist_append(headerList, header)
        }

        try withExtendedLifetime(transfer) { () throws(StorageError) in
            let context = Unmanaged.passUnretained(transfer).toOpaque()
            try set(heaters_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "ERRORBUFFER")
            try set(heaters_curl_setopt_string(handle, CURLOPT_URL, request.url), "URL")
            try set(heaters_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "NOSIGNAL")
            try set(heaters_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, 30), "CONNECTTIMEOUT")
            try set(heaters_curl_setopt_long(handle, CURLOPT_TIMEOUT, timeoutSeconds), "TIMEOUT")
            try set(heaters_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, Self.stallBytesPerSecond), "LOW_SPEED_LIMIT")
            try set(heaters_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, Self.stallSeconds), "LOW_SPEED_TIME")
            try set(heaters_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "HTTPHEADER")
            try set(heaters_curl_setopt_write(handle, receiveBody), "WRITEFUNCTION")
            try set(heaters_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context), "WRITEDATA")
            try set(heaters_curl_setopt_header(handle, receiveHeader), "HEADERFUNCTION")
            try set(heaters_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context), "HEADERDATA")
            try setMethod(request.method, uploading: transfer.upload, context: context)
            if let signing {
                try set(heaters_curl_setopt_string(handle, CURLOPT_AWS_SIGV4, signing.curlParameter), "AWS_SIGV4")
                // USERNAME/PASSWORD rather than USERPWD: no "user:password" string to build, so
                // nothing can split on a colon, and the secret exists only in this call.
                try set(heaters_curl_setopt_string(handle, CURLOPT_USERNAME, signing.accessKeyID), "USERNAME")
                try set(heaters_curl_setopt_string(handle, CURLOPT_PASSWORD, signing.secretAccessKey), "PASSWORD")
            }
            let code = curl_easy_perform(handle)
            // A write into the body file that failed (a full disk) says more than curl's
            // "failed writing received data".
            if let failure = transfer.fileError {
                throw Outage.isOutage(failure) ? .unavailable(operation: "\(request.method) \(request.url)", message: "\(failure)")
                    : .failed(operation: "\(request.method) \(request.url)", message: "\(failure)")
            }
            try StorageError.throwIfFail(code, "\(request.method) \(request.url)", detail: String(cString: errorBuffer))
        }

        var status = 0
        try set(heaters_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status), "RESPONSE_CODE")
        return HTTPResponse(status: status, headers: transfer.headers, body: transfer.body)
    }

    private func set(_ code: CURLcode, _ option: String) throws(StorageError) {
        try StorageError.throwIfFail(code, "curl option \(option)", detail: String(cString: errorBuffer))
    }

    /// PUT and POST always upload (an empty body gets Content-Length: 0, which S3 wants).
    private func uploadBody(for request: HTTPRequest) -> Data? {
        request.body ?? (["PUT", "POST"].contains(request.method) ? Data() : nil)
    }

    private func setMethod(_ method: String, uploading body: Data?, context: UnsafeMutableRawPointer) throws(StorageError) {
        if let body {
            try set(heaters_curl_setopt_long(handle, CURLOPT_UPLOAD, 1), "UPLOAD")
            try set(heaters_curl_setopt_read(handle, sendBody), "READFUNCTION")
            try set(heaters_curl_setopt_pointer(handle, CURLOPT_READDATA, context), "READDATA")
            try set(heaters_curl_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(body.count)), "INFILESIZE_LARGE")
            if method != "PUT" { try set(heaters_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method), "CUSTOMREQUEST") }
        } else if method == "HEAD" {
            try set(heaters_curl_setopt_long(handle, CURLOPT_NOBODY, 1), "NOBODY")
        } else if method != "GET" {
            try set(heaters_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method), "CUSTOMREQUEST")
        }
    }

    private func headerLines(for request: HTTPRequest, signing: AWSSigning?) -> [String] {
        // No "Name:" removal lines (such as "Expect:" to stop 100-continue): curl 7.88's SigV4
        // signs them as empty headers it then does not send, and S3 rejects the signature.
        var lines = request.headers.map { "\($0.name): \($0.value)" }
        // S3 requires this header and curl does not add it; curl signs it as the payload hash.
        if signing != nil, request.headers.value(for: "x-amz-content-sha256") == nil {
            lines.append("x-amz-content-sha256: UNSIGNED-PAYLOAD")
        }
        // Temporary credentials are refused without their token; curl signs x-amz-* headers.
        if let token = signing?.sessionToken, request.headers.value(for: "x-amz-security-token") == nil {
            lines.append("x-amz-security-token: \(token)")
        }
        return lines
    }
}

/// The state libcurl's callbacks read and write during one perform.
private final class Transfer {
    let upload: Data?
    var uploaded = 0
    var body = Data()
    var headers: [HTTPHeader] = []
    /// The status of the response being received (interim ones included).
    var status = 0
    let bodyFile: URL?
    private var file: FileHandle?
    var fileError: (any Error)?

    init(upload: Data?, bodyFile: URL?) {
        self.upload = upload
        self.bodyFile = bodyFile
    }

    /// Appends received bytes: to the body file for a 2xx response when there is one, else
    /// to memory. False when the file could not be written (the transfer is then aborted).
    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let bodyFile, (200..<300).contains(status) else {
            body.append(contentsOf: bytes)
            return true
        }
        do {
            if file == nil {
                guard FileManager.default.createFile(atPath: bodyFile.path, contents: nil) else {
                    throw POSIXFailure("cannot create \(bodyFile.path)")
                }
                file = try FileHandle(forWritingTo: bodyFile)
            }
            try file?.write(contentsOf: bytes)
            return true
        } catch {
            fileError = error
            return false
        }
    }

    func closeFile() {
        do { try file?.close() } catch { if fileError == nil { fileError = error } }
        file = nil
    }
}

private func transfer(_ context: UnsafeMutableRawPointer?) -> Transfer {
    Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
}

private func receiveBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let data, length > 0 else { return length }
    // Returning fewer bytes than given makes curl stop with CURLE_WRITE_ERROR.
    return transfer(context).receive(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private func receiveHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let data, length > 0 else { return length }
    let state = transfer(context)
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
    if line.hasPrefix("HTTP/") {
        state.headers.removeAll()  // a new status line: earlier headers were an interim response's
        state.status = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
    } else if let colon = line.firstIndex(of: ":") {
        let name = String(line[..<colon])
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        state.headers.append(HTTPHeader(name, value))
    }
    return length
}

private func sendBody(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    let state = transfer(context)
    guard let buffer, let upload = state.upload else { return 0 }
    let length = min(size * count, upload.count - state.uploaded)
    let start = upload.startIndex + state.uploaded
    upload.copyBytes(to: UnsafeMutableRawPointer(buffer).assumingMemoryBound(to: UInt8.self), from: start..<start + length)
    state.uploaded += length
    return length
}
