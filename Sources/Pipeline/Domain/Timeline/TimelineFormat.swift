/// The formats `heaters timeline` writes.
public enum TimelineFormat: String, Sendable, CaseIterable {
    /// OpenTimelineIO JSON (`.otio`).
    case otio
    /// CMX 3600 EDL: one video (and audio) event per clip, at most 999 per file.
    case edl
    /// FCPXML for Final Cut Pro.
    case fcpxml
    /// Final Cut Pro 7 XML (xmeml), which Premiere and Resolve import.
    case fcp7
    /// PySceneDetect's `list-scenes` CSV, so scripts written for it work.
    case csv

    public var fileExtension: String {
        switch self {
        case .otio: "otio"
        case .edl: "edl"
        case .fcpxml: "fcpxml"
        case .fcp7: "xml"
        case .csv: "csv"
        }
    }
}
