import Database
import Domain
import Foundation
import Storage

/// A source's timeline from the database's facts and the store's locations, rendered in the
/// requested format. Shared by `heaters timeline` and the review station's `:timeline`.
enum TimelineAssembly {
    /// The rendered documents (several only for an EDL past 999 events) and what to tell the user.
    struct Rendered: Sendable {
        var documents: [String]
        var clipCount: Int
        /// Things the user should know (a rate inferred, a timecode that could not be read).
        var warnings: [String]
    }

    static func render(_ request: TimelineRequest, db: PostgresConnection, storage: any ObjectStore) throws -> Rendered {
        guard let source = try TimelineQueries.source(db, id: request.sourceID) else {
            throw CommandFailure("there is no source \(request.sourceID) (heaters sources lists them)")
        }
        var warnings: [String] = []
        let rate: FrameRate
        if let exact = source.frameRate, let stored = FrameRate(numerator: exact.numerator, denominator: exact.denominator) {
            rate = stored
        } else if let fps = source.fps, let inferred = FrameRate.approximating(fps) {
            rate = inferred
            warnings.append("source \(source.id) was preprocessed before its exact rate was recorded: \(rate) inferred from \(fps) fps")
        } else {
            throw CommandFailure("source \(source.id) has no frame rate yet (state \(source.state)): wait for preprocessing")
        }
        if request.media == .original, source.variableFrameRate == true {
            throw CommandFailure("the original of source \(source.id) has a variable frame rate, so its frames have no fixed "
                + "timecode: use --media gold (the gold master holds the same frames on a constant grid)")
        }
        // Drop-frame at 29.97 and 59.94 unless the source's own timecode says non-drop.
        let dropFrame = rate.allowsDropFrame && !(source.startTimecode.map { !$0.contains(";") } ?? false)
        let timecode = SMPTETimecode(rate: rate, dropFrame: dropFrame)!
        var startFrame = 0
        if let declared = source.startTimecode {
            if let frame = timecode.frame(declared) { startFrame = frame } else {
                warnings.append("source \(source.id)'s start timecode \(declared) is not one at \(rate) fps: timeline starts at 0")
            }
        }
        let locate = { (key: String) throws -> String in try location(of: key, storage: storage, mediaRoot: request.mediaRoot) }
        var sourceMedia: TimelineMedia?
        if request.media != .exported, let key = request.media == .gold ? source.goldMasterKey : source.originalKey,
           let frames = source.frameCount {
            sourceMedia = TimelineMedia(url: try locate(key), name: fileName(key, source: source), startFrame: startFrame,
                                        frameCount: frames, width: source.width ?? 0, height: source.height ?? 0,
                                        hasAudio: source.hasAudio ?? false)
        }
        let rows = try TimelineQueries.clips(db, sourceID: source.id)
        let grouped = Set(rows.compactMap(\.groupedWith))
        let clips = try rows.map { row -> TimelineSourceClip in
            guard let state = ClipState(rawValue: row.state) else { throw CommandFailure("clip \(row.id) has an unknown state \(row.state)") }
            let exported = try row.fileKey.map { key in
                TimelineMedia(url: try locate(key), name: "clip \(row.id) \((key as NSString).lastPathComponent)",
                              startFrame: 0, frameCount: row.exportedFrames ?? (row.endFrame - row.startFrame),
                              width: row.exportedWidth ?? source.width ?? 0, height: row.exportedHeight ?? source.height ?? 0,
                              hasAudio: row.exportedAudio ?? source.hasAudio ?? false)
            }
            return TimelineSourceClip(id: row.id, startFrame: row.startFrame, endFrame: row.endFrame, state: state,
                                      groupID: row.groupedWith ?? (grouped.contains(row.id) ? row.id : nil), tags: row.tags,
                                      exported: exported)
        }
        let timeline: Timeline
        do {
            timeline = try TimelineBuilder.build(name: source.title, rate: rate, clips: clips, selection: request.selection,
                                                 media: request.media, sourceMedia: sourceMedia, keepGaps: request.keepGaps,
                                                 dropFrame: dropFrame)
        } catch {
            throw CommandFailure("source \(source.id): \(error)")
        }
        return Rendered(documents: request.format.render(timeline), clipCount: timeline.clips.count, warnings: warnings)
    }

    /// Where the editor finds an object: under `--media-root` by its key, else the store's own
    /// location (a local path or an s3:// URL).
    static func location(of key: String, storage: any ObjectStore, mediaRoot: String?) throws -> String {
        let storageKey = try StorageKey(key)
        guard let mediaRoot else { return storage.location(of: storageKey) }
        return URL(fileURLWithPath: mediaRoot).appendingPathComponent(storageKey.value).standardizedFileURL.path
    }

    /// The media's name as editors list it: the source's title and the file's role.
    static func fileName(_ key: String, source: TimelineQueries.Source) -> String {
        let file = (key as NSString).lastPathComponent
        return "\(source.title) (source \(source.id) \(file))"
    }
}
