import Testing
@testable import Database

@Suite struct ConnectionStringTests {
    @Test func secretsNeverAppearInRedactedURLs() {
        #expect(!DatabaseServer.redacted("postgresql://user:hunter2@db.example:5432/heaters").contains("hunter2"))
        #expect(!DatabaseServer.redacted("host=db password=hunter2 dbname=x").contains("hunter2"))
        #expect(!DatabaseServer.redacted("host=db password = 'my secret' dbname=x").contains("secret"))
        #expect(!DatabaseServer.redacted("postgresql://u:p%23w@h/db").contains("p%23w"))
        #expect(!DatabaseServer.redacted("postgresql://u:p%23w@h/db").contains("p#w"))
        #expect(!DatabaseServer.redacted("postgresql://u:p#w@h/db").contains("p#w"))
        let split = ConnectionString.splitPassword("postgresql://u:s3cret@h:5433/db")
        #expect(split.password == "s3cret")
        #expect(!split.conninfo.contains("s3cret"))
        #expect(split.conninfo.contains("port='5433'"))
        #expect(DatabaseServer.redacted("postgresql://user@db/heaters") == "postgresql://user@db/heaters")
    }
}
