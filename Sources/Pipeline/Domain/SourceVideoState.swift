/// Where a source video is in `new → downloading → downloaded → preprocessing → preprocessed
/// → detecting_scenes → scenes_detected`. The `*_failed` states are retryable, and the
/// stage that failed resumes from its input state. The database checks the same list.
public enum SourceVideoState: String, CaseIterable, Sendable, Codable {
    case new
    case downloading
    case downloaded
    case downloadFailed = "download_failed"
    case preprocessing
    case preprocessed
    case preprocessFailed = "preprocess_failed"
    case detectingScenes = "detecting_scenes"
    case scenesDetected = "scenes_detected"
    case detectScenesFailed = "detect_scenes_failed"

    public var isFailure: Bool { rawValue.hasSuffix("_failed") }
}
