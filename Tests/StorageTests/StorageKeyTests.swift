import Testing
@testable import Storage

@Suite struct StorageKeyTests {
    @Test(arguments: ["../etc/passwd", "a/../../b", "/absolute", "a//b", "a/./b", "", "a/", "tab\there", "back\\slash", "..", "new\nline"])
    func keysThatCouldEscapeOrConfuseAreRefused(_ key: String) {
        #expect(throws: StorageError.self) { try StorageKey(key) }
    }

    @Test(arguments: ["sources/12/original.mp4", "sources/12/Interview 3 ü “quoted”.mkv", "a..b/c", ".hidden/x"])
    func ordinaryKeysAreKept(_ key: String) throws {
        #expect(try StorageKey(key).value == key)
    }

    @Test func joiningValidatesTheWhole() throws {
        #expect(try StorageKey(joining: "sources", "7", "proxy.mp4").value == "sources/7/proxy.mp4")
        #expect(throws: StorageError.self) { try StorageKey(joining: "sources", "..", "x") }
    }

    @Test func s3KeysAreEncodedAsSigV4Expects() {
        #expect(S3ObjectStore.uriEncoded("frame index ü.bin") == "frame%20index%20%C3%BC.bin")
        #expect(S3ObjectStore.uriEncoded("a-b_c.d~e") == "a-b_c.d~e")
    }
}
