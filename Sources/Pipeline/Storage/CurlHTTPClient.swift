import CCurl
import Foundation

/// A blocking HTTP client over one libcurl easy handle, with optional AWS SigV4 signing by
/// libcurl itself (CURLOPT_AWS_SIGV4). One client serves one thread at a time (a curl easy
/// handle is not thread-safe); reusing it across requests reuses its connections.
public final class CurlHTTPClient {
    private let handle: UnsafeMutableRawPointer
    /// CURLOPT_ERRORBUFFER must outlive every perform, so the client owns it.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let timeoutSeconds: Int

    /// curl_global_init must run once before any handle exists; a static let is initialised
    /// exactly once, thread-safely, on first use.
    private static let globalInit: CURLcode = heaters_curl_global_init_default()

    /// - Parameter timeoutSeconds: limit for a whole request, 0 for none (large downloads).
    public init(timeoutSeconds: Int = 300) throws(StorageError) {
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
    /// whole response. Throws only when no HTTP response was obtained.
    public func perform(_ request: HTTPRequest, signing: AWSSigning? = nil) throws(StorageError) -> HTTPResponse {
        for header in request.headers where (header.name + header.value).contains(where: \.isNewline) {
            throw .invalidRequest("line break in header \(header.name)")
        }
        curl_easy_reset(handle)  // forget the previous request's options, keep its connections
        errorBuffer[0] = 0
        let transfer = Transfer(upload: uploadBody(for: request))

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
            try StorageError.throwIfFail(curl_easy_perform(handle), "\(request.method) \(request.url)",
                                         detail: String(cString: errorBuffer))
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

    init(upload: Data?) { self.upload = upload }
}

private func transfer(_ context: UnsafeMutableRawPointer?) -> Transfer {
    Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
}

private func receiveBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    if let data, length > 0 { transfer(context).body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length) }
    return length
}

private func receiveHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let data, length > 0 else { return length }
    let state = transfer(context)
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
    if line.hasPrefix("HTTP/") {
        state.headers.removeAll()  // a new status line: earlier headers were an interim response's
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
