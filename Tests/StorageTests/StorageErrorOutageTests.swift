@testable import Storage
import Support
import Testing

/// The store's errors that the job queue waits out, and those it does not.
struct StorageErrorOutageTests {
    @Test func transportFailuresAndAnUnavailableStoreAreOutages() {
        for code: Int32 in [6, 7, 18, 28, 52, 55, 56] {
            #expect(Outage.isOutage(StorageError.curl(operation: "GET x", code: code, message: "m")), "curl \(code)")
        }
        #expect(Outage.isOutage(StorageError.unavailable(operation: "put x", message: "HTTP 503 SlowDown")))
    }

    @Test func wrongRequestsAndMissingObjectsAreNot() {
        #expect(!Outage.isOutage(StorageError.notFound(key: "x")))
        #expect(!Outage.isOutage(StorageError.failed(operation: "put x", message: "HTTP 403 SignatureDoesNotMatch")))
        #expect(!Outage.isOutage(StorageError.invalidKey("../x", reason: "..")))
        #expect(!Outage.isOutage(StorageError.curl(operation: "GET x", code: 3, message: "URL using bad/illegal format")))
    }
}
