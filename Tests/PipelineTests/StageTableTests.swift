import Testing
import Domain
@testable import Pipeline

@Suite struct StageTableTests {
    /// States where nothing automatic happens next: a person decides, or the work is done.
    static let terminalSource: Set<SourceVideoState> = [.scenesDetected]
    static let terminalClip: Set<ClipState> = [.reviewSkipped, .embedded, .archived]
    static let awaitingPeople: Set<ClipState> = [.pendingReview]

    private func covered(_ subject: SubjectKind) -> Set<String> {
        Set(StageTable.all.filter { $0.subject == subject }.flatMap { $0.input + ($0.working.map { [$0] } ?? []) })
    }

    @Test func everyNonTerminalSourceStateHasAStage() {
        let covered = covered(.sourceVideo)
        for state in SourceVideoState.allCases where !Self.terminalSource.contains(state) && !state.isFailure {
            #expect(covered.contains(state.rawValue), "no stage takes source videos in \(state.rawValue)")
        }
    }

    @Test func everyNonTerminalClipStateHasAStageOrAPerson() {
        let covered = covered(.clip)
        for state in ClipState.allCases where !Self.terminalClip.contains(state) && !state.isFailure
            && !Self.awaitingPeople.contains(state) {
            #expect(covered.contains(state.rawValue), "no stage takes clips in \(state.rawValue)")
        }
    }

    @Test func everyStageNamesRealStates() {
        for stage in StageTable.all {
            let states = stage.input + [stage.working, stage.success, stage.failure].compactMap { $0 }
            for state in states {
                switch stage.subject {
                case .sourceVideo: #expect(SourceVideoState(rawValue: state) != nil, "\(stage.name): \(state)")
                case .clip: #expect(ClipState(rawValue: state) != nil, "\(stage.name): \(state)")
                case .none, .reviewAction: Issue.record("\(stage.name) has states but no subject with states")
                }
            }
            if let failure = stage.failure { #expect(failure.hasSuffix("_failed"), "\(stage.name)") }
        }
        #expect(Set(StageTable.all.map(\.name)).count == StageTable.all.count, "stage names are unique")
    }
}
