import Config
import Foundation
import Support

/// Objects in an S3 bucket (AWS or any S3-compatible server), under an optional prefix.
/// Requests are signed by libcurl's SigV4; files larger than one part go up as a multipart
/// upload; 5xx answers and transport errors are retried with backoff. Credentials are
/// never put in a message.
public struct S3ObjectStore: ObjectStore {
    public let bucket: String
    public let prefix: String
    /// Scheme, host and port; path-style addressing (`endpoint/bucket/key`).
    public let endpoint: String
    let signing: AWSSigning
    /// Files larger than this go up in parts of this size (S3's minimum part is 5 MiB).
    public var partSize: Int = 16 << 20
    public var attempts = 5
    /// Curl handles reused across requests (and threads, one at a time).
    let clients = CurlClientPool()

    /// - Parameter url: `s3://bucket` or `s3://bucket/prefix`.
    public init(url: String, aws: AWSSettings) throws {
        guard url.hasPrefix("s3://") else { throw StorageError.invalidRequest("not an s3:// URL: \(url)") }
        let rest = url.dropFirst("s3://".count)
        let parts = rest.split(separator: "/", maxSplits: 1)
        guard let bucket = parts.first.map(String.init), !bucket.isEmpty,
              bucket.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "." }) else {
            throw StorageError.invalidRequest("\(url): the bucket name must be lower-case letters, digits, dots and hyphens")
        }
        guard let access = aws.accessKeyID, let secret = aws.secretAccessKey else {
            throw StorageError.invalidRequest("S3 storage needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or [aws] in config.toml)")
        }
        let prefix = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: CharacterSet(charactersIn: "/")) : ""
        // The prefix is part of every object name: it must itself be a valid key (no "..",
        // no empty segment, no control characters), or keys could leave it.
        if !prefix.isEmpty {
            do { _ = try StorageKey(prefix) } catch {
                throw StorageError.invalidRequest("\(url): the prefix \"\(prefix)\" is not a valid storage key prefix (\(error))")
            }
        }
        self.bucket = bucket
        self.prefix = prefix
        self.endpoint = (aws.endpointURL ?? "https://s3.\(aws.region).amazonaws.com").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        self.signing = AWSSigning(accessKeyID: access, secretAccessKey: secret, region: aws.region, sessionToken: aws.sessionToken)
    }

    // MARK: - ObjectStore

    public func put(file: URL, key: StorageKey) throws {
        let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
        if size <= partSize {
            try put(data: try Data(contentsOf: file), key: key)
        } else {
            try multipartUpload(file: file, key: key)
        }
    }

    public func put(data: Data, key: StorageKey) throws {
        try expect(send("PUT", key: key, body: data), [200], "put \(key)")
    }

    /// Streams the object into `file` (a multi-GB original never sits in memory), through a
    /// temporary file renamed into place once the whole body has arrived.
    public func get(key: StorageKey, to file: URL) throws {
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString).part")
        do {
            try expect(send("GET", key: key, bodyFile: temporary), [200], "get \(key)")
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        guard rename(temporary.path, file.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw StorageError.failed(operation: "get \(key)", message: POSIXFailure("rename into \(file.path)").description)
        }
    }

    public func get(key: StorageKey) throws -> Data {
        try expect(send("GET", key: key), [200], "get \(key)").body
    }

    public func get(key: StorageKey, range: Range<Int64>) throws -> Data {
        guard !range.isEmpty else { return Data() }
        let response = try send("GET", key: key, headers: [HTTPHeader("Range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)")])
        return try expect(response, [206, 200], "ranged get \(key)").body
    }

    public func delete(key: StorageKey) throws {
        try expect(send("DELETE", key: key), [204, 200, 404], "delete \(key)")
    }

    /// The object's size from a HEAD, or nil when there is none.
    func objectSize(_ key: StorageKey) throws -> Int64? {
        let response = try expect(send("HEAD", key: key), [200, 404], "head \(key)")
        return response.status == 200 ? response.headers.value(for: "content-length").flatMap { Int64($0) } : nil
    }

    public func exists(key: StorageKey) throws -> Bool {
        try expect(send("HEAD", key: key), [200, 404], "head \(key)").status == 200
    }

    public func list(prefix listPrefix: String) throws -> [StorageKey] {
        var keys: [StorageKey] = []
        var token: String?
        let full = prefix.isEmpty ? listPrefix : "\(prefix)/\(listPrefix)"
        repeat {
            var query = [("list-type", "2"), ("prefix", full)]
            if let token { query.append(("continuation-token", token)) }
            let body = String(decoding: try expect(request("GET", url: bucketURL, query: query), [200], "list \(listPrefix)").body,
                              as: UTF8.self)
            for match in body.matches(of: /<Key>([^<]*)<\/Key>/) {
                var name = Self.xmlUnescaped(String(match.1))
                if !prefix.isEmpty { name = String(name.dropFirst(prefix.count + 1)) }
                // An object heaters cannot name (written by another tool: "a//b", "..") is an
                // error, not skipped: a caller deleting everything under a prefix would
                // otherwise leave it behind without a word.
                do { keys.append(try StorageKey(name)) } catch {
                    throw StorageError.invalidRequest("list \(listPrefix): the object \"\(name)\" under the prefix is not a key "
                                                      + "heaters can address (\(error)); remove or rename it with another S3 tool")
                }
            }
            token = body.contains("<IsTruncated>true</IsTruncated>")
                ? body.firstMatch(of: /<NextContinuationToken>([^<]*)<\/NextContinuationToken>/).map { Self.xmlUnescaped(String($0.1)) }
                : nil
        } while token != nil
        return keys.sorted { $0.value < $1.value }
    }

    public func location(of key: StorageKey) -> String {
        "s3://\(bucket)/\(objectName(key))"
    }

    /// Creates the bucket (tests and first-time set-up); an existing bucket of ours is fine.
    public func createBucket() throws {
        try expect(request("PUT", url: bucketURL), [200, 409], "create bucket \(bucket)")
    }

    // MARK: - Multipart

    private func multipartUpload(file: URL, key: StorageKey) throws {
        let started = try expect(send("POST", key: key, query: [("uploads", "")]), [200], "start upload of \(key)")
        guard let uploadID = String(decoding: started.body, as: UTF8.self).firstMatch(of: /<UploadId>([^<]+)<\/UploadId>/)
            .map({ Self.xmlUnescaped(String($0.1)) }) else {
            throw StorageError.failed(operation: "start upload of \(key)", message: "no UploadId in the answer")
        }
        do {
            let handle = try FileHandle(forReadingFrom: file)
            defer { try? handle.close() }
            var etags: [String] = []
            var number = 1
            while let chunk = try handle.read(upToCount: partSize), !chunk.isEmpty {
                let part = try expect(send("PUT", key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)], body: chunk),
                                      [200], "upload part \(number) of \(key)")
                guard let etag = part.headers.value(for: "etag") else {
                    throw StorageError.failed(operation: "upload part \(number) of \(key)", message: "no ETag in the answer")
                }
                etags.append(etag)
                number += 1
            }
            let manifest = "<CompleteMultipartUpload>"
                + etags.enumerated().map { "<Part><PartNumber>\($0.offset + 1)</PartNumber><ETag>\(Self.xmlEscaped($0.element))</ETag></Part>" }.joined()
                + "</CompleteMultipartUpload>"
            let done: HTTPResponse
            do {
                done = try expect(send("POST", key: key, query: [("uploadId", uploadID)], body: Data(manifest.utf8)),
                                  [200], "complete upload of \(key)")
            } catch StorageError.notFound {
                // NoSuchUpload: a completion whose answer was lost (the connection cut after
                // the store had done it) and was sent again. The object of the right size is
                // there, or the upload really is gone.
                guard try objectSize(key) == Int64(try file.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? -1) else {
                    throw StorageError.failed(operation: "complete upload of \(key)", message: "the upload disappeared before it completed")
                }
                return
            }
            // S3 can answer 200 with an error document when completion fails late.
            if String(decoding: done.body, as: UTF8.self).contains("<Error>") {
                throw StorageError.failed(operation: "complete upload of \(key)", message: Self.errorSummary(done))
            }
        } catch {
            _ = try? send("DELETE", key: key, query: [("uploadId", uploadID)])  // abort: no orphaned parts
            throw error
        }
    }

    // MARK: - Requests

    var bucketURL: String { "\(endpoint)/\(bucket)" }

    private func objectName(_ key: StorageKey) -> String { prefix.isEmpty ? key.value : "\(prefix)/\(key.value)" }

    private func send(_ method: String, key: StorageKey, query: [(String, String)] = [], headers: [HTTPHeader] = [],
                      body: Data? = nil, bodyFile: URL? = nil) throws -> HTTPResponse {
        let path = objectName(key).split(separator: "/").map { Self.uriEncoded(String($0)) }.joined(separator: "/")
        return try request(method, url: "\(bucketURL)/\(path)", query: query, headers: headers, body: body, bodyFile: bodyFile)
    }

    /// One request, retried on transport errors, 5xx and 429 with growing pauses (0.2 s
    /// doubling, about 3 s in all); what is still failing after that is an outage the job
    /// queue waits out. The query is written in SigV4's canonical form (sorted, encoded) so
    /// that what curl signs is what the server reconstructs. With `bodyFile`, a successful
    /// body is streamed into that file (rewritten by each attempt).
    func request(_ method: String, url: String, query: [(String, String)] = [], headers: [HTTPHeader] = [],
                 body: Data? = nil, bodyFile: URL? = nil) throws -> HTTPResponse {
        let queryText = query.sorted { $0.0 < $1.0 }.map { "\(Self.uriEncoded($0.0))=\(Self.uriEncoded($0.1))" }.joined(separator: "&")
        let full = queryText.isEmpty ? url : "\(url)?\(queryText)"
        var pause = 0.2
        var lastError: (any Error)?
        for attempt in 1...attempts {
            do {
                let response = try clients.withClient { client in
                    try client.perform(HTTPRequest(method: method, url: full, headers: headers, body: body), signing: signing,
                                       bodyFile: bodyFile)
                }
                if Self.isUnavailable(response.status) && attempt < attempts {
                    lastError = StorageError.unavailable(operation: "\(method) \(url)", message: Self.errorSummary(response))
                } else {
                    return response
                }
            } catch {
                lastError = error
                if attempt == attempts { break }
            }
            Thread.sleep(forTimeInterval: pause)
            pause *= 2
        }
        throw lastError ?? StorageError.failed(operation: "\(method) \(url)", message: "no answer")
    }

    @discardableResult
    func expect(_ response: HTTPResponse, _ statuses: Set<Int>, _ operation: String) throws -> HTTPResponse {
        guard statuses.contains(response.status) else {
            if response.status == 404 { throw StorageError.notFound(key: operation) }
            if Self.isUnavailable(response.status) {
                throw StorageError.unavailable(operation: operation, message: Self.errorSummary(response))
            }
            throw StorageError.failed(operation: operation, message: Self.errorSummary(response))
        }
        return response
    }

    /// 5xx and 429 (SlowDown): the store cannot serve now, not "this request is wrong".
    static func isUnavailable(_ status: Int) -> Bool { status >= 500 || status == 429 }

    static func errorSummary(_ response: HTTPResponse) -> String {
        let text = String(decoding: response.body, as: UTF8.self)
        let code = text.firstMatch(of: /<Code>([^<]*)<\/Code>/).map { String($0.1) }
        let message = text.firstMatch(of: /<Message>([^<]*)<\/Message>/).map { String($0.1) }
        return "HTTP \(response.status)" + (code.map { " \($0)" } ?? "") + (message.map { ": \($0)" } ?? "")
    }

    /// RFC 3986 unreserved characters stay; everything else is %XX (SigV4's URI encoding).
    static func uriEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    static func xmlUnescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
