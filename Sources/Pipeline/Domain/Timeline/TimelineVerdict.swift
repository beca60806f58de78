/// How the review left a clip, for formats with a native mark for it (FCPXML ratings, FCP 7
/// label colours): in the cut, not in it, or not decided yet (`--clips all`).
enum TimelineVerdict {
    case inTheCut, notInTheCut, undecided
}

extension TimelineClip {
    var verdict: TimelineVerdict {
        if marked { return .notInTheCut }
        return state == ClipState.pendingReview.rawValue ? .undecided : .inTheCut
    }
}
