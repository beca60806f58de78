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

extension TimelineFormat {
    /// The timeline in this format: one document per file (several only for an EDL past its
    /// 999-event limit).
    public func render(_ timeline: Timeline) -> [String] {
        switch self {
        case .otio: [OTIOWriter.render(timeline)]
        case .edl: EDLWriter.render(timeline)
        case .fcpxml: [FCPXMLWriter.render(timeline)]
        case .fcp7: [FCP7XMLWriter.render(timeline)]
        case .csv: [SceneListCSVWriter.render(timeline)]
        }
    }
}
