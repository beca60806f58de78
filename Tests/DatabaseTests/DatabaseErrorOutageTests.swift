@testable import Database
import Testing

/// A server that is gone or out of resources is an outage; a wrong statement is not.
struct DatabaseErrorOutageTests {
    @Test func aLostServerOrAFullDiskIsAnOutage() {
        #expect(DatabaseError(.connection, "server closed the connection unexpectedly").isOutage)
        #expect(DatabaseError(.query, "terminating connection due to administrator command", sqlState: "57P01").isOutage)
        #expect(DatabaseError(.query, "could not extend file: No space left on device", sqlState: "53100").isOutage)
        #expect(DatabaseError(.query, "sorry, too many clients already", sqlState: "53300").isOutage)
    }

    @Test func aRefusedStatementIsNot() {
        #expect(!DatabaseError(.query, "duplicate key", sqlState: "23505").isOutage)
        #expect(!DatabaseError(.query, "new row violates check constraint", sqlState: "23514").isOutage)
        #expect(!DatabaseError(.decoding, "not an integer").isOutage)
    }
}
