import Domain
import Foundation
import Testing
@testable import TUI

/// The station's pure core: every key's effects, counts, batches, the tray's countdown,
/// optimistic decisions confirmed or rolled back, and what a lost database does.
@MainActor @Suite struct StationReducerTests {
    typealias F = StationFixtures

    @Test func openingAsksForTheSessionTheQueueTheTrayAndThePipeline() {
        let reducer = StationReducer(keymap: try! Keymap())
        var state = StationState(size: .init(rows: 24, columns: 80), now: F.start)
        #expect(reducer.start(&state) == [.startSession, .loadQueue(after: nil, filter: QueueFilter(), limit: 200, replacing: true),
                                          .loadTray, .loadPipeline])
        let effects = reducer.reduce(&state, .queuePage(QueuePage(entries: F.clips, total: 5), after: nil, replacing: true,
                                                        exhausted: true))
        #expect(state.selectedClip == 10 && state.frame == 0 && state.queueTotal == 5)
        #expect(effects.contains(.loadNeighbours(10)))
        #expect(effects.contains { if case .render(let wanted) = $0 { wanted.values.contains(.now) } else { false } })
    }

    @Test func movementKeysAndCounts() {
        var (reducer, state) = F.loaded()
        _ = F.keys("l", reducer, &state)
        #expect(state.frame == 1)
        _ = F.keys("5l", reducer, &state)
        #expect(state.frame == 6 && state.count == nil)
        _ = F.keys("L", reducer, &state)
        #expect(state.frame == 31, "one second is 25 frames at 25 fps")
        _ = F.keys("$", reducer, &state)
        #expect(state.frame == 99)
        _ = F.keys("l", reducer, &state)
        #expect(state.frame == 99, "steps stay inside the clip")
        _ = F.keys("0", reducer, &state)
        #expect(state.frame == 0)
        _ = F.keys("10l", reducer, &state)
        #expect(state.frame == 10, "0 after a digit is part of the count")
        _ = F.keys("j", reducer, &state)
        #expect(state.selectedClip == 11 && state.frame == 100, "a new clip starts at its first frame")
        _ = F.keys("3j", reducer, &state)
        #expect(state.selectedClip == 14)
        _ = F.keys("9j", reducer, &state)
        #expect(state.selectedClip == 14, "the last clip stays selected")
        _ = F.keys("2k", reducer, &state)
        #expect(state.selectedClip == 12)
        _ = reducer.reduce(&state, .key(.down))
        #expect(state.selectedClip == 13)
    }

    /// Keys held or typed ahead at the end of the loaded rows are not lost: the moves past the
    /// last row wait for the page that is on its way and go on when it arrives; a move up
    /// cancels them.
    @Test func movesPastTheLoadedRowsGoOnWhenTheNextPageArrives() {
        let reducer = StationReducer(keymap: try! Keymap())
        var state = StationState(size: .init(rows: 24, columns: 80), now: F.start)
        _ = reducer.start(&state)
        _ = reducer.reduce(&state, .sessionStarted("s1"))
        let first = Array(F.clips.prefix(3)), rest = (3..<8).map { F.entry(Int64(10 + $0), start: $0 * 100, end: ($0 + 1) * 100) }
        _ = reducer.reduce(&state, .queuePage(QueuePage(entries: first, total: 8), after: nil, replacing: true, exhausted: false))
        let asked = F.keys("j", reducer, &state)
        #expect(asked.contains(.loadQueue(after: first[2], filter: QueueFilter(), limit: 200, replacing: false)),
                "near the end of the rows the next page is asked for")
        _ = F.keys("jjjj", reducer, &state)
        #expect(state.selectedClip == 12 && state.pendingRows == 3, "held at the last loaded row, three moves kept")
        _ = reducer.reduce(&state, .queuePage(QueuePage(entries: Array(rest.prefix(2)), total: 8), after: first[2], replacing: false,
                                              exhausted: false))
        #expect(state.selectedClip == 14 && state.pendingRows == 1, "two rows arrived: two moves made, one still kept")
        _ = reducer.reduce(&state, .queuePage(QueuePage(entries: Array(rest.suffix(3)), total: 8), after: rest[1], replacing: false,
                                              exhausted: true))
        #expect(state.selectedClip == 15 && state.pendingRows == 0, "every key the reviewer pressed counted")
        _ = F.keys("9j", reducer, &state)
        #expect(state.selectedClip == 17 && state.pendingRows == 0, "at the end of an exhausted queue nothing is kept")

        // A move up cancels moves kept for a page.
        var other = StationState(size: .init(rows: 24, columns: 80), now: F.start)
        _ = reducer.start(&other)
        _ = reducer.reduce(&other, .queuePage(QueuePage(entries: first, total: 8), after: nil, replacing: true, exhausted: false))
        _ = F.keys("5j", reducer, &other)
        #expect(other.pendingRows == 3)
        _ = F.keys("k", reducer, &other)
        _ = reducer.reduce(&other, .queuePage(QueuePage(entries: rest, total: 8), after: first[2], replacing: false, exhausted: true))
        #expect(other.selectedClip == 11 && other.pendingRows == 0)
    }

    /// Moves kept for a page are for the rows after the clip they were pressed on: a :goto
    /// landing in between drops them, so the next page does not carry the reviewer past the
    /// clip they jumped to.
    @Test func aJumpDropsTheMovesKeptForAPage() {
        let reducer = StationReducer(keymap: try! Keymap())
        var state = StationState(size: .init(rows: 24, columns: 80), now: F.start)
        _ = reducer.start(&state)
        _ = reducer.reduce(&state, .sessionStarted("s1"))
        let entries = (0..<10).map { F.entry(Int64(10 + $0), start: $0 * 100, end: ($0 + 1) * 100) }
        _ = reducer.reduce(&state, .queuePage(QueuePage(entries: Array(entries.prefix(3)), total: 10), after: nil,
                                              replacing: true, exhausted: false))
        _ = F.keys("5j", reducer, &state)
        #expect(state.selectedClip == 12 && state.pendingRows == 3)
        let asked = reducer.reduce(&state, .jumpTarget(entries[5], frame: nil, reason: ""))
        #expect(asked.contains { if case .loadQueue(_, _, _, replacing: true) = $0 { true } else { false } })
        _ = reducer.reduce(&state, .queuePage(QueuePage(entries: Array(entries[5..<8]), total: 10), after: entries[4],
                                              replacing: true, exhausted: false))
        #expect(state.selectedClip == 15 && state.pendingRows == 0, "the jump lands on its clip and drops the kept moves")
        _ = reducer.reduce(&state, .queuePage(QueuePage(entries: Array(entries[8...]), total: 10), after: entries[7],
                                              replacing: false, exhausted: true))
        #expect(state.selectedClip == 15, "the next page does not move the reviewer on from the clip jumped to")
    }

    @Test func approveShowsAtOnceMovesOnAndIsConfirmed() throws {
        var (reducer, state) = F.loaded()
        let effects = F.keys("a", reducer, &state)
        let sent = try #require(F.decisions(effects).first)
        #expect(sent.1 == [.approve(clip: 10)] && sent.2 == [10: 1])
        #expect(state.rows.first?.state == .reviewApproved, "shown approved before the engine answers")
        #expect(state.selectedClip == 11)
        _ = reducer.reduce(&state, .decisionAnswered(sent.0, .applied("approve clip 10")))
        #expect(state.inFlight.isEmpty && state.message?.kind == .info)
        #expect(state.rows.first?.state == .reviewApproved)
    }

    @Test func aRefusedDecisionIsRolledBackWithTheReason() throws {
        var (reducer, state) = F.loaded()
        let sent = try #require(F.decisions(F.keys("s", reducer, &state)).first)
        #expect(state.rows.first?.state == .reviewSkipped)
        _ = reducer.reduce(&state, .decisionAnswered(sent.0, .refused("clip 10 changed since you saw it")))
        #expect(state.rows.first?.state == .pendingReview)
        #expect(state.message?.kind == .error && state.message?.text.contains("changed since you saw it") == true)
    }

    @Test func aBatchGoesAsOneRequestToEveryMarkedClip() throws {
        var (reducer, state) = F.loaded()
        _ = F.keys("TT", reducer, &state)
        #expect(state.marks == [10, 11] && state.selectedClip == 12)
        _ = F.keys("T", reducer, &state)
        _ = F.keys(";", reducer, &state)
        #expect(state.batchArmed)
        let sent = try #require(F.decisions(F.keys("d", reducer, &state)).first)
        #expect(sent.1 == [.archive(clip: 10), .archive(clip: 11), .archive(clip: 12)])
        #expect(state.marks.isEmpty && !state.batchArmed)
        #expect(state.rows.prefix(3).allSatisfy { $0.state == .reviewArchived })
        #expect(F.keys("u", reducer, &state) == [.undo(nil)], "u undoes the batch as one")
        #expect(F.keys(";", reducer, &state).isEmpty && state.message?.kind == .error, "; with nothing marked says so")
    }

    @Test func aTagIsTypedAtAPrompt() throws {
        var (reducer, state) = F.loaded()
        _ = F.keys("t", reducer, &state)
        #expect(state.mode == .tagPrompt("", batch: false))
        _ = F.keys("night", reducer, &state)
        _ = reducer.reduce(&state, .key(.backspace))
        let effects = reducer.reduce(&state, .key(.enter))
        #expect(F.decisions(effects).first?.1 == [.tag(clip: 10, tag: "nigh")])
        #expect(state.mode == .normal && state.selectedClip == 10, "tagging stays on the clip")
        _ = F.keys("t", reducer, &state)
        _ = reducer.reduce(&state, .key(.escape))
        #expect(state.mode == .normal)
    }

    @Test func groupAndMergeTakeTheClipBeforeNotThePreviousRow() throws {
        var (reducer, state) = F.loaded()
        _ = F.keys("j", reducer, &state)
        let first = F.keys("m", reducer, &state)
        #expect(first == [.loadNeighbours(11)] && state.message?.kind == .error, "the clip before is not known yet")
        _ = reducer.reduce(&state, .neighbours(clip: 11, ClipNeighbours(before: F.clips[0], after: F.clips[2])))
        #expect(F.decisions(F.keys("m", reducer, &state)).first?.1 == [.merge(clip: 11, with: 10)])
        #expect(F.decisions(F.keys("g", reducer, &state)).first?.1 == [.group(clip: 11, with: 10)])
        _ = reducer.reduce(&state, .neighbours(clip: 12, ClipNeighbours(before: nil, after: nil)))
        #expect(F.keys("m", reducer, &state).isEmpty && state.message?.text.contains("first of its source") == true)
    }

    @Test func splitCutsAtTheCurrentFrame() {
        var (reducer, state) = F.loaded()
        _ = F.keys("37l", reducer, &state)
        #expect(F.decisions(F.keys("c", reducer, &state)).first?.1 == [.split(clip: 10, at: 37)])
        #expect(state.selectedClip == 10, "a split waits in the tray; the reviewer stays")
    }

    @Test func theTrayCountsDownOnTicks() {
        var (reducer, state) = F.loaded()
        _ = reducer.reduce(&state, .tray([TrayItem(actionID: 4, summary: "split 10 @f37", settlesAt: F.start.addingTimeInterval(60),
                                                   status: .scheduled)]))
        #expect(StationView.trayText(state.tray[0], now: state.now).0 == "split 10 @f37 (lands in 60s)")
        _ = reducer.reduce(&state, .tick(F.start.addingTimeInterval(17.2)))
        #expect(StationView.trayText(state.tray[0], now: state.now).0 == "split 10 @f37 (lands in 43s)")
        let settling = TrayItem(actionID: 5, summary: "approve 11", settlesAt: F.start.addingTimeInterval(20), status: .settling)
        #expect(StationView.trayText(settling, now: state.now).0 == "approve 11 (undo in 3s)")
    }

    @Test func refreshesComeOnTicksEveryTwoSeconds() {
        var (reducer, state) = F.loaded()
        #expect(reducer.reduce(&state, .tick(F.start.addingTimeInterval(1))).isEmpty)
        let effects = reducer.reduce(&state, .tick(F.start.addingTimeInterval(2.1)))
        #expect(effects.contains(.loadTray) && effects.contains(.loadPipeline))
        #expect(effects.contains(.loadQueue(after: nil, filter: QueueFilter(), limit: 200, replacing: true)))
    }

    @Test func whileTheDatabaseIsGoneDecisionsAreRefusedHereAndNothingIsSent() {
        var (reducer, state) = F.loaded()
        _ = reducer.reduce(&state, .backendFailed("connection refused", connectionLost: true))
        #expect(state.databaseLost && state.message?.kind == .error)
        #expect(F.keys("a", reducer, &state).isEmpty && state.rows.first?.state == .pendingReview)
        #expect(F.keys("j", reducer, &state).isEmpty == false, "moving still works")
        let back = reducer.reduce(&state, .backendRecovered)
        #expect(!state.databaseLost && back.contains(.loadTray))
    }

    @Test func playbackFollowsTheClockAndStopsAtTheEnd() {
        var (reducer, state) = F.loaded()
        _ = F.keys(" ", reducer, &state)
        #expect(state.playing)
        _ = reducer.reduce(&state, .tick(F.start.addingTimeInterval(1)))
        #expect(state.frame == 25)
        _ = F.keys("]", reducer, &state)
        _ = reducer.reduce(&state, .tick(F.start.addingTimeInterval(2)))
        #expect(state.frame == 75, "twice as fast from frame 25")
        _ = reducer.reduce(&state, .tick(F.start.addingTimeInterval(5)))
        #expect(state.frame == 99 && !state.playing)
    }

    @Test func theCommandLine() {
        var (reducer, state) = F.loaded()
        func command(_ text: String) -> [StationEffect] { F.command(text, reducer, &state) }
        #expect(command("goto 42") == [.jump(clip: 42, source: nil, frame: nil)])
        _ = command("frame 57")
        #expect(state.frame == 57)
        #expect(command("frame 250") == [.jump(clip: nil, source: 7, frame: 250)])
        _ = command("time 00:00:01.000")
        #expect(state.frame == 25)
        #expect(command("tag crowd").contains(.loadQueue(after: nil, filter: QueueFilter(tag: "crowd"), limit: 200, replacing: true)))
        #expect(command("source 3").contains(.loadQueue(after: nil, filter: QueueFilter(sourceID: 3, tag: "crowd"), limit: 200,
                                                       replacing: true)))
        #expect(command("theme light") == [.setTheme("light")])
        _ = command("bogus")
        #expect(state.message?.text.contains("unknown command :bogus") == true)
        #expect(StationReducer.seconds("1:23.48") == 83.48 && StationReducer.seconds("x") == nil)
    }

    @Test func timelineWritesTheCurrentSourceInTheFormatAskedOrItsExtension() {
        var (reducer, state) = F.loaded()
        func command(_ text: String) -> [StationEffect] { F.command(text, reducer, &state) }
        #expect(command("timeline otio cut.otio") == [.writeTimeline(.init(sourceID: 7, format: .otio, selection: .approved, path: "cut.otio"))])
        #expect(state.message?.text.contains("writing source 7") == true)
        #expect(command("timeline /tmp/a b.edl") == [], "one file path, no spaces")
        #expect(state.message?.kind == .error)
        #expect(command("timeline reel.edl") == [.writeTimeline(.init(sourceID: 7, format: .edl, selection: .approved, path: "reel.edl"))])
        #expect(command("timeline fcp7 reel.xml decided")
                == [.writeTimeline(.init(sourceID: 7, format: .fcp7, selection: .decided, path: "reel.xml"))])
        #expect(command("timeline reel.xml all") == [.writeTimeline(.init(sourceID: 7, format: .fcp7, selection: .all, path: "reel.xml"))])
        #expect(command("timeline notes.txt") == [])
        #expect(state.message?.text.contains("say the format") == true)
        _ = reducer.reduce(&state, .timelineWritten(.init(paths: ["/home/r/cut.otio"], clipCount: 12)))
        #expect(state.message?.text == "wrote 12 clips to /home/r/cut.otio")
        _ = reducer.reduce(&state, .backendFailed("source 7: nothing to put on the timeline", connectionLost: false))
        #expect(state.message?.kind == .error && state.message?.text.contains("nothing to put") == true)
    }

    @Test func quittingSavesWhereTheReviewerWas() {
        var (reducer, state) = F.loaded()
        _ = F.keys("j12l", reducer, &state)
        #expect(F.keys("q", reducer, &state) == [.saveBookmark(clip: 11, frame: 112), .quit])
        #expect(state.quitting)
        var (_, other) = F.loaded()
        #expect(reducer.reduce(&other, .terminate).last == .quit)
    }

    @Test func aClipAnotherSessionHoldsIsLeftToIt() {
        var (reducer, state) = F.loaded()
        _ = reducer.reduce(&state, .claimed([12, 13, 14], around: 10))
        #expect(state.selectedClip == 12)
        #expect(state.message?.text.contains("another session") == true)
    }

    /// Scrolling faster than claims come back: the answer to a claim made around a clip
    /// already left behind does not send the selection back to it.
    @Test func aLateClaimForAClipLeftBehindDoesNotPullTheSelectionBack() {
        var (reducer, state) = F.loaded()
        _ = F.keys("jjj", reducer, &state)
        #expect(state.selectedClip == 13)
        _ = reducer.reduce(&state, .claimed([10, 11, 12], around: 11))
        #expect(state.selectedClip == 13 && state.message == nil, "the claim around 11 says nothing of 13")
        _ = reducer.reduce(&state, .claimed([12, 14], around: 13))
        #expect(state.selectedClip == 12 && state.message?.text.contains("clip 13 is being reviewed in another session") == true,
                "the claim around 13 itself does: another session holds it")
    }

    @Test func aBookmarkReturnsToItsClipAndFrame() {
        var (reducer, state) = F.loaded()
        state.pendingJump = .init(clip: 13, frame: 345)
        _ = reducer.reduce(&state, .queuePage(QueuePage(entries: F.clips, total: 5), after: nil, replacing: true, exhausted: true))
        #expect(state.selectedClip == 13 && state.frame == 345)
        // The jump's own answer, arriving after the reviewer moved on, does not pull them back.
        _ = F.keys("j", reducer, &state)
        #expect(reducer.reduce(&state, .jumpTarget(F.clips[3], frame: 345, reason: "")).isEmpty)
        #expect(state.selectedClip == 14 && state.pendingJump == nil)
        // A later :goto of the same clip still goes there.
        _ = reducer.reduce(&state, .jumpTarget(F.clips[3], frame: nil, reason: ""))
        #expect(state.pendingJump?.clip == 13)
    }

    /// `f` asks for the clips like the current one and lists them; j/k choose; enter on a pending
    /// clip jumps through the queue, on an exported one shows it in place until the reviewer
    /// moves on; escape closes; an answer about a clip no longer selected is dropped.
    @Test func similarClipsAreListedAndOneCanBeOpened() {
        var (reducer, state) = F.loaded()
        #expect(F.keys("f", reducer, &state) == [.loadSimilar(10)])
        let pending = F.clips[3]
        var published = QueueEntry(clipID: 90, sourceID: 2, sourceTitle: "Other", startFrame: 300, endFrame: 350,
                                   startSeconds: 12, endSeconds: 14, state: .embedded)
        published.framesPerSecond = 25
        let answer = SimilarClips(clip: 10, model: "heaters-descriptor-v1", basis: "its proxy frames",
                                  clips: [SimilarClip(entry: published, distance: 0.05), SimilarClip(entry: pending, distance: 0.3)])
        _ = reducer.reduce(&state, .similar(SimilarClips(clip: 11, model: "m", basis: "b", clips: answer.clips)))
        #expect(state.mode == .normal && state.similar == nil, "an answer for another clip is dropped")
        _ = reducer.reduce(&state, .similar(answer))
        #expect(state.mode == .similar && state.similar?.selected == 0)
        _ = F.keys("jjj", reducer, &state)
        #expect(state.similar?.selected == 1, "the choice stays on the list")
        #expect(F.keys("a", reducer, &state).isEmpty && state.mode == .similar, "decision keys wait while the list is open")
        #expect(reducer.reduce(&state, .key(.enter)) == [.jump(clip: pending.clipID, source: nil, frame: nil)])
        #expect(state.mode == .normal && state.similar == nil)

        _ = F.keys("f", reducer, &state)
        _ = reducer.reduce(&state, .similar(answer))
        _ = reducer.reduce(&state, .key(.enter))
        #expect(state.selectedClip == 90 && state.current == published && state.frame == 300, "opened in place at its first frame")
        #expect(state.rows.contains(published))
        _ = reducer.reduce(&state, .claimed([11, 12], around: 90))
        #expect(state.selectedClip == 90, "a clip opened from the list is not claimed, so not left to another session")
        #expect(reducer.reduce(&state, .key(.character("q"))).contains(.saveBookmark(clip: 10, frame: 0)),
                "quitting on an exported clip bookmarks the pending one after it, which the queue offers again")
        state.quitting = false
        _ = F.keys("j", reducer, &state)
        #expect(state.selectedClip != 90 && state.visited == nil && !state.rows.contains(published), "gone once the reviewer moves on")

        _ = F.keys("f", reducer, &state)
        _ = reducer.reduce(&state, .similar(SimilarClips(clip: state.selectedClip!, model: "m", basis: "b", clips: [])))
        #expect(state.mode == .normal && state.message?.text.contains("no other clip") == true)
        _ = F.keys("f", reducer, &state)
        _ = reducer.reduce(&state, .similar(SimilarClips(clip: state.selectedClip!, model: "m", basis: "b", clips: answer.clips)))
        _ = reducer.reduce(&state, .key(.escape))
        #expect(state.mode == .normal && state.similar == nil)
    }

    @Test func helpClosesOnAnyKey() {
        var (reducer, state) = F.loaded()
        _ = F.keys("?", reducer, &state)
        #expect(state.mode == .help)
        _ = F.keys("x", reducer, &state)
        #expect(state.mode == .normal)
    }
}
