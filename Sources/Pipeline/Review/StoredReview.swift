import Domain

/// What the log keeps of a decision (`review_actions.payload`): the rules' outcome, and once
/// written, the ids of the clips it created. Undo is computed from this and the clips now.
struct StoredReview: Codable, Equatable {
    var outcome: ReviewOutcome
    var created: [Int64]
}

/// What the log keeps of an undo.
struct StoredUndo: Codable, Equatable {
    var undid: [Int64]
}
