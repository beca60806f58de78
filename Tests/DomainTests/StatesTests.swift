import Testing
@testable import Domain

@Suite struct StatesTests {
    @Test func liveJobStatesAreTheNonFinalOnes() {
        #expect(JobState.live == [.scheduled, .available, .running, .retryable])
        #expect(JobState.live.allSatisfy { !$0.isFinal })
    }

    @Test func subjectStatesKnowTheirRows() {
        #expect(SourceVideoState.subject == .sourceVideo)
        #expect(ClipState.subject == .clip)
        #expect(SubjectKind.allCases.map(\.rawValue) == ["source_video", "clip", "none", "review_action"])
    }
}
