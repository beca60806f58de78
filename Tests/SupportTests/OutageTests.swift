import Foundation
import Support
import Testing

/// Which errors say "the machine, not the input": those the job queue waits out.
struct OutageTests {
    @Test func aFullDiskIsAnOutageWhoeverReportsIt() {
        #expect(Outage.isOutage(CocoaError(.fileWriteOutOfSpace)))
        #expect(Outage.isOutage(POSIXError(.ENOSPC)))
        #expect(Outage.isOutage(POSIXFailure("write", errno: ENOSPC)))
        #expect(Outage.isOutage(NSError(domain: NSPOSIXErrorDomain, code: Int(EDQUOT))))
        #expect(Outage.isOutage(CocoaError(.fileWriteUnknown, userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))])))
    }

    @Test func badInputIsNoOutage() {
        #expect(!Outage.isOutage(POSIXFailure("open", errno: ENOENT)))
        #expect(!Outage.isOutage(CocoaError(.fileNoSuchFile)))
        #expect(!Outage.isOutage(POSIXError(.EACCES)))
    }
}
