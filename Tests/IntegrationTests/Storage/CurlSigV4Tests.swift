@testable import Config
import Foundation
@testable import Storage
import Testing

/// CurlHTTPClient's SigV4 signing against a real moto S3 server that verifies signatures:
/// moto lets the first three (IAM set-up) requests through unauthenticated, then checks every
/// signature against the access key it issued, so a wrongly signed request gets a 403.
@Suite(.timeLimit(.minutes(12))) struct CurlSigV4Tests {
    @Test func signedRequestsStoreAndFetchAnObject() throws {
        let server = try MotoServer(directory: try ProjectPaths.freshDirectory("s3"), recordRequests: true,
                                    environment: ["INITIAL_NO_AUTH_ACTION_COUNT": "3"])
        defer { server.stop() }
        let client = try CurlHTTPClient(timeoutSeconds: 30)
        let signing = try Self.issueAccessKey(on: server, client: client)
        let object = "\(server.endpoint)/clips/proxy/frame%20index.bin"
        let payload = Data((0..<64).map { UInt8($0) })
        let dayBefore = Self.utcDay()

        let bucket = try client.perform(HTTPRequest(method: "PUT", url: "\(server.endpoint)/clips"), signing: signing)
        #expect(bucket.status == 200, "\(String(decoding: bucket.body, as: UTF8.self))")
        let put = try client.perform(HTTPRequest(method: "PUT", url: object, body: payload), signing: signing)
        #expect(put.status == 200)
        #expect(put.headers.value(for: "etag") != nil)

        let get = try client.perform(HTTPRequest(method: "GET", url: object), signing: signing)
        #expect(get.status == 200)
        #expect(get.body == payload)

        let ranged = try client.perform(
            HTTPRequest(method: "GET", url: object, headers: [HTTPHeader("Range", "bytes=2-5")]), signing: signing)
        #expect(ranged.status == 206)
        #expect(ranged.body == Data([2, 3, 4, 5]))
        #expect(ranged.headers.value(for: "content-range") == "bytes 2-5/64")

        // What actually reached the server: libcurl's SigV4 header over x-amz-content-sha256.
        let days = [dayBefore, Self.utcDay()]
        let sentPut = try #require(server.recordedRequests().last {
            $0["method"] as? String == "PUT" && ($0["url"] as? String ?? "").hasSuffix("/clips/proxy/frame%20index.bin")
        })
        let headers = try #require(sentPut["headers"] as? [String: String])
        let authorization = try #require(headers.first { $0.key.lowercased() == "authorization" }?.value)
        let match = try #require(authorization.wholeMatch(of:
            /AWS4-HMAC-SHA256 Credential=([^\/]+)\/(\d{8})\/us-east-1\/s3\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}/))
        #expect(match.1 == signing.accessKeyID)
        #expect(days.contains(String(match.2)))
        #expect(match.3.split(separator: ";").contains("x-amz-content-sha256"))
        #expect(headers.first { $0.key.lowercased() == "x-amz-content-sha256" }?.value == "UNSIGNED-PAYLOAD")
        #expect(!"\(headers)".contains(signing.secretAccessKey))
    }

    /// Temporary credentials: the session token goes with every request, signed, and is never
    /// printed. (Before, AWS_SESSION_TOKEN was read and dropped, so such credentials got 403s.)
    @Test func aSessionTokenIsSentSignedAndNeverPrinted() throws {
        let server = try MotoServer(directory: try ProjectPaths.freshDirectory("s3"), recordRequests: true)
        defer { server.stop() }
        let store = try S3ObjectStore(url: "s3://tokens/p", aws: AWSSettings(
            accessKeyID: "ASIAEXAMPLE", secretAccessKey: "secret-example", sessionToken: "FwoGZXIvYXdzEXAMPLETOKEN",
            region: "us-east-1", endpointURL: server.endpoint))
        _ = try CurlHTTPClient(timeoutSeconds: 30).perform(HTTPRequest(method: "PUT", url: "\(server.endpoint)/tokens"))
        try store.put(data: Data("x".utf8), key: try StorageKey("a/b.txt"))
        let sent = try #require(server.recordedRequests().last { $0["method"] as? String == "PUT" })
        let headers = try #require(sent["headers"] as? [String: String])
        #expect(headers.first { $0.key.lowercased() == "x-amz-security-token" }?.value == "FwoGZXIvYXdzEXAMPLETOKEN")
        let authorization = try #require(headers.first { $0.key.lowercased() == "authorization" }?.value)
        #expect(authorization.contains("x-amz-security-token"), "signed: \(authorization)")
        #expect(!"\(store.signing)".contains("EXAMPLETOKEN") && "\(store.signing)".contains("session token redacted"))
    }

    @Test func aPrefixThatIsNotAKeyIsRefused() throws {
        let aws = AWSSettings(accessKeyID: "a", secretAccessKey: "s", sessionToken: nil, region: "us-east-1", endpointURL: "http://127.0.0.1:1")
        for url in ["s3://bucket/a/../b", "s3://bucket/a//b", "s3://bucket/x\u{1B}y"] {
            #expect(throws: StorageError.self, "\(url)") { _ = try S3ObjectStore(url: url, aws: aws) }
        }
        #expect(try S3ObjectStore(url: "s3://bucket/team/heaters/", aws: aws).prefix == "team/heaters")
    }

    @Test func aWrongSecretIsRejectedAndNeverPrinted() throws {
        let server = try MotoServer(directory: try ProjectPaths.freshDirectory("s3"),
                                    environment: ["INITIAL_NO_AUTH_ACTION_COUNT": "3"])
        defer { server.stop() }
        let client = try CurlHTTPClient(timeoutSeconds: 30)
        var signing = try Self.issueAccessKey(on: server, client: client)
        signing.secretAccessKey = "not-" + signing.secretAccessKey

        let refused = try client.perform(HTTPRequest(method: "PUT", url: "\(server.endpoint)/clips"), signing: signing)
        #expect(refused.status == 403)
        #expect(String(decoding: refused.body, as: UTF8.self).contains("SignatureDoesNotMatch"))

        server.stop()
        let error = #expect(throws: StorageError.self) {
            try client.perform(HTTPRequest(method: "GET", url: "\(server.endpoint)/clips"), signing: signing)
        }
        for printed in ["\(String(describing: error))", "\(signing)", String(reflecting: signing), Self.dumped(signing)] {
            #expect(!printed.contains(signing.secretAccessKey), "secret leaked in: \(printed)")
        }
    }

    /// Creates an IAM user allowed everything and returns its new access key. These are the
    /// three requests moto lets through unauthenticated, so the dummy signature is ignored.
    static func issueAccessKey(on server: MotoServer, client: CurlHTTPClient) throws -> AWSSigning {
        let bootstrap = AWSSigning(accessKeyID: "bootstrap", secretAccessKey: "bootstrap", service: "iam")
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
        let calls = [
            ["Action": "CreateUser", "UserName": "reviewer"],
            ["Action": "PutUserPolicy", "UserName": "reviewer", "PolicyName": "all", "PolicyDocument": policy],
            ["Action": "CreateAccessKey", "UserName": "reviewer"],
        ]
        var last = ""
        for parameters in calls {
            var form = URLComponents()
            form.queryItems = (parameters.merging(["Version": "2010-05-08"]) { $1 }).map { URLQueryItem(name: $0.key, value: $0.value) }
            let body = Data((form.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B").utf8)
            let response = try client.perform(HTTPRequest(
                method: "POST", url: "\(server.endpoint)/",
                headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded")], body: body), signing: bootstrap)
            last = String(decoding: response.body, as: UTF8.self)
            try #require(response.status == 200, "IAM \(parameters["Action"]!): \(last)")
        }
        let key = try #require(last.firstMatch(of: /<AccessKeyId>([^<]+)<\/AccessKeyId>/)?.1)
        let secret = try #require(last.firstMatch(of: /<SecretAccessKey>([^<]+)<\/SecretAccessKey>/)?.1)
        return AWSSigning(accessKeyID: String(key), secretAccessKey: String(secret))
    }

    static func utcDay() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d%02d%02d", parts.year!, parts.month!, parts.day!)
    }

    static func dumped(_ value: some Any) -> String {
        var text = ""
        dump(value, to: &text)
        return text
    }
}
