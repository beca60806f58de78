/// What libcurl needs to sign a request with AWS Signature Version 4.
/// The secret is kept out of every printed form (description, debugDescription, dump),
/// so logging a request configuration cannot leak it.
public struct AWSSigning: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var accessKeyID: String
    public var secretAccessKey: String
    /// e.g. "us-east-1"; S3-compatible servers usually accept any region they were set up with.
    public var region: String
    /// The service in the credential scope: "s3" for object storage.
    public var service: String
    /// The token of temporary credentials (STS, an instance or SSO role), sent as
    /// `x-amz-security-token` and signed with the request; as secret as the key.
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, region: String = "us-east-1", service: String = "s3",
                sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken.flatMap { $0.isEmpty ? nil : $0 }
        self.region = region
        self.service = service
    }

    /// libcurl's CURLOPT_AWS_SIGV4 parameter: provider1:provider2:region:service.
    var curlParameter: String { "aws:amz:\(region):\(service)" }

    public var description: String {
        "AWSSigning(\(accessKeyID), secret redacted\(sessionToken == nil ? "" : ", session token redacted"), \(region), \(service))"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyID": accessKeyID, "region": region, "service": service])
    }
}
