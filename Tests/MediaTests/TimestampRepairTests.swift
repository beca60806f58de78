@testable import Media
import Testing

/// TimestampRepair: what a re-mux does to each packet's timestamps.
@Suite struct TimestampRepairTests {
    @Test func goodTimestampsPassUnchanged() {
        var repair = TimestampRepair()
        let packets: [(Int64?, Int64?)] = [(0, -2), (4, -1), (2, 0), (3, 1), (8, 2)]  // B-frame reordering
        for (presentation, decode) in packets {
            let fixed = repair.fix(presentation: presentation, decode: decode, duration: 1)
            #expect(fixed.presentation == presentation && fixed.decode == decode)
        }
        #expect(repair.repaired == 0)
    }

    @Test func decodeTimesAlwaysMoveForward() {
        var repair = TimestampRepair()
        _ = repair.fix(presentation: 10, decode: 10, duration: 1)
        let backwards = repair.fix(presentation: 4, decode: 4, duration: 1)
        #expect(backwards.decode == 11 && backwards.presentation == 11, "one tick on, presented no earlier")
        let equal = repair.fix(presentation: 12, decode: 11, duration: 1)
        #expect(equal.decode == 12 && equal.presentation == 12)
        #expect(repair.repaired == 2)
    }

    @Test func missingTimesAreFilledIn() {
        var repair = TimestampRepair()
        let first = repair.fix(presentation: nil, decode: nil, duration: 3)
        #expect(first.decode == 0 && first.presentation == 0)
        let second = repair.fix(presentation: nil, decode: nil, duration: 3)
        #expect(second.decode == 3 && second.presentation == 3, "one packet duration later")
        let fromPresentation = repair.fix(presentation: 9, decode: nil, duration: 3)
        #expect(fromPresentation.decode == 9 && fromPresentation.presentation == 9)
        let noDecode = repair.fix(presentation: nil, decode: 12, duration: 3)
        #expect(noDecode.presentation == 12)
    }
}
