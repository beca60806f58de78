import Domain

/// What a timeline export is asked for, from `heaters timeline` or the station's `:timeline`.
struct TimelineRequest: Sendable {
    var sourceID: Int64
    var format: TimelineFormat = .otio
    var selection: TimelineSelection = .approved
    var media: TimelineMediaKind = .gold
    var keepGaps = false
    /// A local folder holding the store's objects under their keys (an S3 bucket synced there).
    var mediaRoot: String?
}
