/// What a job works on: a row of `source_videos`, a row of `clips`, a review action (a merge
/// or split landing), or nothing (diagnostics, benchmarks). The raw values are the jobs
/// table's `subject_type`.
public enum SubjectKind: String, Sendable, CaseIterable, Codable {
    case sourceVideo = "source_video"
    case clip
    case none
    case reviewAction = "review_action"
}

/// A state of a job's subject: a source video's or a clip's. Stages are declared with these
/// types, so a stage cannot mix a clip's states with a source's or name a state that does
/// not exist.
public protocol SubjectState: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {
    /// The kind of row these are the states of.
    static var subject: SubjectKind { get }
}

extension SourceVideoState: SubjectState {
    public static var subject: SubjectKind { .sourceVideo }
}

extension ClipState: SubjectState {
    public static var subject: SubjectKind { .clip }
}
