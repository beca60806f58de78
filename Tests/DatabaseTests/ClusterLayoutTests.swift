import Testing
@testable import Database

@Suite struct ClusterLayoutTests {
    /// The relocated cluster's folder name must not change between processes (Swift's own
    /// Hasher is seeded per process, so this is a fixed FNV-1a value).
    @Test func theHashIsStable() {
        #expect(ClusterLayout.stableHash("/root/.local/share/heaters") == ClusterLayout.stableHash("/root/.local/share/heaters"))
        #expect(ClusterLayout.stableHash("") == "cbf29ce484222325")
        #expect(ClusterLayout.stableHash("a") == "af63dc4c8601ec8c")
    }
}
