@testable import Support
import Testing

/// LocalPath's stored forms and RawArguments' matching, without touching the file system.
@Suite struct LocalPathTests {
    let latin1: [UInt8] = Array("/media/caf".utf8) + [0xE9] + Array(" 100%.MP4".utf8)

    @Test func aUTF8PathIsStoredAsItself() {
        let path = LocalPath(bytes: Array("/media/Interview 3 — take 'one'.mp4".utf8))
        #expect(path.sourceURI == "/media/Interview 3 — take 'one'.mp4")
        #expect(LocalPath(sourceURI: path.sourceURI) == path)
        #expect(path.displayStem == "Interview 3 — take 'one'")
    }

    @Test func otherBytesAreStoredAsAnEscapedFileURIThatReadsBack() {
        let path = LocalPath(bytes: latin1)
        #expect(path.text == nil)
        #expect(path.sourceURI == "file:///media/caf%E9%20100%25.MP4")
        #expect(LocalPath(sourceURI: path.sourceURI) == path)
        #expect(path.displayText == "/media/caf\u{FFFD} 100%.MP4")
        #expect(path.displayStem == "caf\u{FFFD} 100%")
        #expect(path.safeExtension == "mp4")
    }

    @Test func otherStoredValuesAreNotLocalPaths() {
        #expect(LocalPath(sourceURI: "https://example.com/a.mp4") == nil)
        #expect(LocalPath(sourceURI: "relative/a.mp4") == nil)
        #expect(LocalPath(sourceURI: "file:///a%G1.mp4") == nil, "not a hex escape")
        #expect(LocalPath(sourceURI: "file:///a%00.mp4") == nil, "NUL cannot be in a path")
        #expect(LocalPath(sourceURI: "file://host/a.mp4") == nil, "only local file URIs")
    }

    @Test func relativePathsAreMadeAbsoluteLexically() {
        let made = LocalPath.absolute(Array("./in/../caf".utf8) + [0xE9], in: Array("/home/me//videos".utf8))
        #expect(made.bytes == Array("/home/me/videos/caf".utf8) + [0xE9])
        #expect(LocalPath.absolute(Array("/../x".utf8), in: Array("/".utf8)).bytes == Array("/x".utf8))
        #expect(LocalPath(bytes: Array("/v/noext".utf8)).safeExtension == "bin")
    }

    @Test func parsedArgumentsFindTheirRawBytesInOrder() {
        let first: [UInt8] = Array("a".utf8) + [0xE9]
        let second: [UInt8] = Array("a".utf8) + [0xE8]  // decodes to the same "a\u{FFFD}"
        let raw = [Array("submit".utf8), Array("ok.mp4".utf8), first, second, Array("a\u{FFFD}".utf8)]
        let parsed = ["ok.mp4", "a\u{FFFD}", "a\u{FFFD}", "a\u{FFFD}"]
        #expect(RawArguments.originals(of: parsed, in: raw) == [nil, first, second, nil],
                "the last one was valid UTF-8 holding U+FFFD itself")
    }
}
