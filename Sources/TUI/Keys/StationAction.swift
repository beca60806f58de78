/// Everything a key can do in the review station, with the help text the `?` overlay and the
/// README's key table show (both are generated from this list).
public enum StationAction: String, CaseIterable, Sendable {
    case nextClip = "next_clip", previousClip = "previous_clip"
    case nextFrame = "next_frame", previousFrame = "previous_frame"
    case forwardSecond = "forward_second", backSecond = "back_second"
    case firstFrame = "first_frame", lastFrame = "last_frame"
    case playPause = "play_pause", slower, faster
    case approve, skip, archive
    case groupWithBefore = "group", mergeWithBefore = "merge", split
    case tag, toggleMark = "mark", applyToMarked = "apply_to_marked"
    case undo, undoTray = "undo_tray", cutView = "cut_view", similar
    case help, commandLine = "command_line", quit

    /// Groups in the help overlay, in order.
    public enum Group: String, CaseIterable, Sendable {
        case move = "Move", decide = "Decide", batch = "Batch", view = "View"
    }

    public var group: Group {
        switch self {
        case .nextClip, .previousClip, .nextFrame, .previousFrame, .forwardSecond, .backSecond, .firstFrame, .lastFrame,
             .playPause, .slower, .faster:
            .move
        case .approve, .skip, .archive, .groupWithBefore, .mergeWithBefore, .split, .tag, .undo:
            .decide
        case .toggleMark, .applyToMarked:
            .batch
        case .undoTray, .cutView, .similar, .help, .commandLine, .quit:
            .view
        }
    }

    public var help: String {
        switch self {
        case .nextClip: "next clip"
        case .previousClip: "previous clip"
        case .nextFrame: "one frame on"
        case .previousFrame: "one frame back"
        case .forwardSecond: "one second on"
        case .backSecond: "one second back"
        case .firstFrame: "first frame of the clip"
        case .lastFrame: "last frame of the clip"
        case .playPause: "play / pause"
        case .slower: "play slower"
        case .faster: "play faster"
        case .approve: "approve"
        case .skip: "skip"
        case .archive: "archive"
        case .groupWithBefore: "group with the clip before"
        case .mergeWithBefore: "merge with the clip before (lands after the undo window)"
        case .split: "split (cut) at the current frame (lands after the undo window)"
        case .tag: "tag (asks for the tag)"
        case .toggleMark: "mark / unmark for a batch"
        case .applyToMarked: "apply the next approve, skip, archive or tag to every marked clip"
        case .undo: "undo the latest decision (a batch as one)"
        case .undoTray: "show or hide the undo tray"
        case .cutView: "judge the cuts: the clip before's last frame beside this one's first, and so on"
        case .similar: "the clips most like this one (j/k, enter opens one, f closes)"
        case .help: "this help"
        case .commandLine: "command line (:goto ID, :frame F, :time T, :source ID, :tag T, :timeline FMT FILE, :theme NAME, :q)"
        case .quit: "quit"
        }
    }

    /// Actions that are decisions: refused while the database is unreachable.
    public var isDecision: Bool {
        [.approve, .skip, .archive, .groupWithBefore, .mergeWithBefore, .split, .tag, .undo].contains(self)
    }
}
