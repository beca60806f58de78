import Domain
import Foundation
@testable import TUI

/// Queue entries and states for the reducer's tests: source 7, 25 fps, clips of 100 frames.
enum StationFixtures {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func entry(_ id: Int64, start: Int, end: Int, state: ClipState = .pendingReview, version: Int = 1,
                      source: Int64 = 7) -> QueueEntry {
        QueueEntry(clipID: id, sourceID: source, sourceTitle: "Interview 3", startFrame: start, endFrame: end,
                   startSeconds: Double(start) / 25, endSeconds: Double(end) / 25, state: state, version: version,
                   framesPerSecond: 25)
    }

    static let clips = (0..<5).map { entry(Int64(10 + $0), start: $0 * 100, end: ($0 + 1) * 100) }

    /// A station with the five clips loaded, clip 10 selected, session "s1".
    static func loaded(size: ScreenSize = .init(rows: 24, columns: 80)) -> (StationReducer, StationState) {
        let reducer = StationReducer(keymap: try! Keymap())
        var state = StationState(size: size, now: start)
        _ = reducer.start(&state)
        _ = reducer.reduce(&state, .sessionStarted("s1"))
        _ = reducer.reduce(&state, .queuePage(QueuePage(entries: clips, total: 5), after: nil, replacing: true, exhausted: true))
        _ = reducer.reduce(&state, .claimed(clips.map(\.clipID), around: clips.first?.clipID))
        return (reducer, state)
    }

    static func keys(_ text: String, _ reducer: StationReducer, _ state: inout StationState) -> [StationEffect] {
        text.flatMap { reducer.reduce(&state, .key(.character($0))) }
    }

    /// Types `:text` and enter on the command line; the effects of the enter.
    static func command(_ text: String, _ reducer: StationReducer, _ state: inout StationState) -> [StationEffect] {
        _ = keys(":", reducer, &state)
        _ = keys(text, reducer, &state)
        return reducer.reduce(&state, .key(.enter))
    }

    static func decisions(_ effects: [StationEffect]) -> [(UUID, [ReviewDecision], [Int64: Int])] {
        effects.compactMap { if case .decide(let id, let d, let seen) = $0 { (id, d, seen) } else { nil } }
    }
}
