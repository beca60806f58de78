import Foundation

/// One HTTP request for `CurlHTTPClient`.
public struct HTTPRequest: Sendable {
    /// The verb, e.g. "GET", "PUT", "HEAD", "DELETE".
    public var method: String
    public var url: String
    public var headers: [HTTPHeader]
    /// The body to upload; nil sends none (PUT and POST then send an empty one).
    public var body: Data?

    public init(method: String, url: String, headers: [HTTPHeader] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
