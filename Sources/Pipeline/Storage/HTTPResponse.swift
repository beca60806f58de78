import Foundation

/// What came back from one HTTP request. Non-2xx statuses are responses, not errors:
/// the caller (the S3 store) knows which ones it expects.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Headers of the final response, in arrival order (interim 100-continue ones dropped).
    public var headers: [HTTPHeader]
    public var body: Data

    public init(status: Int, headers: [HTTPHeader], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
