import Domain
import Testing

@Suite struct URLRedactionTests {
    @Test func credentialsAndQueriesAreHiddenTheRestKept() {
        #expect(URLRedaction.redacted("https://alice:hunter2@cdn.example.com/v/1.mp4?token=abc#t=3")
                == "https://***@cdn.example.com/v/1.mp4?…")
        #expect(URLRedaction.redacted("https://bucket.s3.amazonaws.com/a.mp4?X-Amz-Signature=deadbeef&X-Amz-Credential=AKID")
                == "https://bucket.s3.amazonaws.com/a.mp4?…")
        #expect(URLRedaction.redacted("http://127.0.0.1:9/missing.mp4") == "http://127.0.0.1:9/missing.mp4")
        #expect(URLRedaction.redacted("https://token@host?x=1") == "https://***@host?…")
        #expect(URLRedaction.redacted("/videos/local file.mp4") == "/videos/local file.mp4")
    }

    @Test func aToolsEchoOfTheURLIsRedactedInItsMessage() {
        let url = "https://u:pw@h/x.mp4?sig=1"
        #expect(URLRedaction.redacting(url, in: "ERROR: unable to download \(url): 403; again \(url)")
                == "ERROR: unable to download https://***@h/x.mp4?…: 403; again https://***@h/x.mp4?…")
    }
}
