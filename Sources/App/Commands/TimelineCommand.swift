import ArgumentParser
import Database
import Domain
import Foundation
import Storage

extension TimelineFormat: ExpressibleByArgument {}
extension TimelineSelection: ExpressibleByArgument {}
extension TimelineMediaKind: ExpressibleByArgument {}

/// `heaters timeline SOURCE_ID`: the reviewed cut of one source for an editor.
struct TimelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Write one source's reviewed clips as an editor's timeline (OTIO, CMX 3600 EDL, FCPXML, FCP 7 XML, or PySceneDetect's CSV).",
        discussion: """
            Clips in source order, each referencing the chosen media with its exact in and out frame, \
            butted together (a selects reel) unless --keep-gaps places each at its source time. A video \
            track, and the matching audio track when the media has audio. Clip names carry the clip id and \
            tags; the review state and group go in the format's metadata or comment. Timecode keeps the \
            source's exact rate (30000/1001), drop-frame at 29.97 and 59.94, from the source's own start \
            timecode when it has one. Media in S3 is referenced by its s3:// URL unless --media-root names \
            the local folder where the editor has the store's files (under their keys). An EDL holds at \
            most 999 events: a longer cut is written as FILE-part1.edl, FILE-part2.edl, … (needs -o).
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The source id (heaters sources lists them).") var source: Int64
    @Option(help: "otio, edl, fcpxml, fcp7 or csv.") var format: TimelineFormat = .otio
    @Option(help: ArgumentHelp("approved (approved and every later state), decided (also skipped and archived ones, marked), or all (every live clip).",
                               valueName: "set"))
    var clips: TimelineSelection = .approved
    @Option(help: ArgumentHelp("original, gold (the gold master), or exported (each clip's exported file).", valueName: "kind"))
    var media: TimelineMediaKind = .gold
    @Flag(help: "Place each clip at its source time instead of butting them together.") var keepGaps = false
    @Option(help: ArgumentHelp("Reference media as files under this folder (by storage key) instead of where the store has them.",
                               valueName: "dir"))
    var mediaRoot: String?
    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file (default: standard output).", valueName: "file"))
    var output: String?
    @Flag(help: "With -o: print what was written as JSON (files, clips, format, warnings).") var json = false

    /// What `--json` prints.
    struct Written: Encodable {
        var source: Int64
        var format: String
        var clips: Int
        var files: [String]
        var warnings: [String]
    }

    func run() async throws {
        try await reportingErrors {
            guard source > 0 else { throw CommandFailure("a source id is a positive number, not \(source)") }
            if json, output == nil {
                throw CommandFailure("--json describes the files written: give -o FILE (without it the timeline itself goes to standard output)")
            }
            let config = try global.load()
            let database = try DatabaseServer.forConfig(config)
            let db = try await database.prepareConnection()
            let storage = try ObjectStores.open(config)
            let request = TimelineRequest(sourceID: source, format: format, selection: clips, media: media,
                                          keepGaps: keepGaps, mediaRoot: mediaRoot)
            let rendered = try TimelineAssembly.render(request, db: db, storage: storage)
            for warning in rendered.warnings { FileHandle.standardError.write(Data("heaters: \(warning)\n".utf8)) }
            guard let output else {
                guard rendered.documents.count == 1 else {
                    throw CommandFailure("\(rendered.clipCount) clips make \(rendered.documents.count) EDLs (at most 999 events each): "
                        + "give -o FILE to write them as FILE-part1.edl, …")
                }
                FileHandle.standardOutput.write(Data(rendered.documents[0].utf8))
                return
            }
            let paths = try TimelineFiles.write(rendered.documents, to: output)
            if json {
                print(try CommandOutput.json(Written(source: source, format: format.rawValue, clips: rendered.clipCount, files: paths,
                                                     warnings: rendered.warnings)))
                return
            }
            FileHandle.standardError.write(Data("wrote \(rendered.clipCount) clips to \(paths.joined(separator: ", "))\n".utf8))
        }
    }
}
