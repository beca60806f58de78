import Domain

/// The pipeline, declared in one place. The dispatcher reads this table; workers never
/// enqueue each other. Adding a stage is adding a row.
///
/// Stages whose `work` is nil are declared (their states are part of the design and of the
/// schema) but not built yet; the dispatcher skips them.
public enum StageTable {
    public static let media = "media"
    public static let io = "io"
    public static let diagnostics = "default"
    /// Landing scheduled merges and splits: quick database work that must not wait behind media.
    public static let review = ReviewService.queue

    public static let all: [Stage] = [
        Stage(name: "download", input: [SourceVideoState.new, .downloading], working: .downloading,
              success: .downloaded, failure: .downloadFailed, queue: io, maxAttempts: 3, work: DownloadStage.work),
        Stage(name: "preprocess", input: [SourceVideoState.downloaded, .preprocessing], working: .preprocessing,
              success: .preprocessed, failure: .preprocessFailed, queue: media, maxAttempts: 3, work: PreprocessStage.work),
        Stage(name: "detect_scenes", input: [SourceVideoState.preprocessed, .detectingScenes], working: .detectingScenes,
              success: .scenesDetected, failure: .detectScenesFailed, queue: media, maxAttempts: 3, work: DetectScenesStage.work),
        Stage(name: "export", input: [ClipState.reviewApproved, .exporting], working: .exporting,
              success: .exported, failure: .exportFailed, queue: media, maxAttempts: 3, work: ExportStage.work),
        Stage(name: "keyframe", input: [ClipState.exported, .keyframing], working: .keyframing,
              success: .keyframed, failure: .keyframeFailed, queue: media, maxAttempts: 3, work: KeyframeStage.work),
        Stage(name: "embed", input: [ClipState.keyframed, .embedding], working: .embedding,
              success: .embedded, failure: .embeddingFailed, queue: media, maxAttempts: 3, work: EmbedStage.work),
        Stage(name: "archive", input: [ClipState.reviewArchived], working: nil,
              success: .archived, failure: .archiveFailed, queue: io, maxAttempts: 5, work: ArchiveStage.work),
        ReviewLandingStage.stage,
        DiagnosticStage.noop,
    ]

    public static func stage(named name: String, in table: [Stage] = all) -> Stage? {
        table.first { $0.name == name }
    }

    /// How the stages' subjects move with their jobs (for `heaters retry`, the dispatcher).
    public static let transitions = StageTransitions(stages: all)
}
