/// The pipeline, declared in one place. The dispatcher reads this table; workers never
/// enqueue each other. Adding a stage is adding a row.
///
/// Stages whose `work` is nil are declared (their states are part of the design and of the
/// schema) but not built yet; the dispatcher skips them.
public enum StageTable {
    public static let media = "media"
    public static let io = "io"
    public static let diagnostics = "default"

    public static let all: [Stage] = [
        Stage(name: "download", subject: .sourceVideo, input: ["new", "downloading"], working: "downloading",
              success: "downloaded", failure: "download_failed", queue: io, maxAttempts: 3, work: DownloadStage.work),
        Stage(name: "preprocess", subject: .sourceVideo, input: ["downloaded", "preprocessing"], working: "preprocessing",
              success: "preprocessed", failure: "preprocess_failed", queue: media, maxAttempts: 3, work: PreprocessStage.work),
        Stage(name: "detect_scenes", subject: .sourceVideo, input: ["preprocessed", "detecting_scenes"], working: "detecting_scenes",
              success: "scenes_detected", failure: "detect_scenes_failed", queue: media, maxAttempts: 3, work: DetectScenesStage.work),
        Stage(name: "export", subject: .clip, input: ["review_approved", "exporting"], working: "exporting",
              success: "exported", failure: "export_failed", queue: media, maxAttempts: 3, work: nil),
        Stage(name: "keyframe", subject: .clip, input: ["exported", "keyframing"], working: "keyframing",
              success: "keyframed", failure: "keyframe_failed", queue: media, maxAttempts: 3, work: nil),
        Stage(name: "embed", subject: .clip, input: ["keyframed", "embedding"], working: "embedding",
              success: "embedded", failure: "embedding_failed", queue: media, maxAttempts: 3, work: nil),
        Stage(name: "archive", subject: .clip, input: ["review_archived"], working: nil,
              success: "archived", failure: "archive_failed", queue: io, maxAttempts: 5, work: nil),
        DiagnosticStage.noop,
    ]

    public static func stage(named name: String, in table: [Stage] = all) -> Stage? {
        table.first { $0.name == name }
    }
}
