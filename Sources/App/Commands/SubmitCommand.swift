import ArgumentParser
import Database
import Domain
import Foundation
import Support

/// `heaters submit URL|PATH…`: adds source videos; the download stage takes them from there.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit videos (URLs for yt-dlp, or local files) to the pipeline.",
        discussion: """
            Each argument becomes a source video in state `new`. Local paths are checked now \
            (they must exist and be readable); URLs are checked by the download stage. Workers \
            (the review station, or heaters --headless) download, preprocess and detect scenes.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Title for the source (one argument only; default: the file name or URL).") var title: String?
    @Flag(help: "Print JSON.") var json = false
    @Argument(help: "URLs or paths of video files.") var sources: [String]

    struct Submitted: Encodable {
        var id: Int64?
        var source: String
        var title: String?
        var error: String?
    }

    func validate() throws {
        if sources.isEmpty { throw ValidationError("give at least one URL or path") }
        if title != nil && sources.count > 1 { throw ValidationError("--title goes with a single source") }
    }

    func run() async throws {
        try await reportingErrors {
            let database = try DatabaseServer.forConfig(try global.load())
            let db = try await database.prepareConnection()
            var results: [Submitted] = []
            let originals = RawArguments.originals(of: sources, in: RawArguments.current())
            for (source, original) in zip(sources, originals) {
                do {
                    let (uri, name) = try original.map(Self.resolve(rawPath:)) ?? Self.resolve(source)
                    let label = title ?? name
                    results.append(Submitted(id: try SourceVideoQueries.submit(db, title: label, sourceURI: uri),
                                             source: URLRedaction.redacted(uri), title: label))
                } catch {
                    results.append(Submitted(id: nil, source: URLRedaction.redacted(source), title: nil, error: "\(error)"))
                }
            }
            if json {
                print(try CommandOutput.json(results))
            } else {
                for r in results {
                    if let id = r.id { print("submitted source \(id): \(r.title ?? r.source)") }
                    else { FileHandle.standardError.write(Data("error: \(r.source): \(r.error ?? "?")\n".utf8)) }
                }
            }
            if results.contains(where: { $0.id == nil }) { throw ExitCode.failure }
        }
    }

    /// A URL as given; a path made absolute and checked, so a typo fails now, not later.
    static func resolve(_ source: String) throws -> (uri: String, title: String) {
        let lower = source.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            guard URL(string: source)?.host != nil else { throw CommandFailure("not a valid URL") }
            // The default title is the URL without what grants access (titles are shown everywhere).
            return (source, URLRedaction.redacted(source))
        }
        if source.contains("://") { throw CommandFailure("only http(s) URLs and local paths can be submitted") }
        let url = URL(fileURLWithPath: source).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw CommandFailure("no such file")
        }
        guard !isDirectory.boolValue else { throw CommandFailure("is a directory, not a video file") }
        guard FileManager.default.isReadableFile(atPath: url.path) else { throw CommandFailure("cannot be read (permissions)") }
        return (url.path, url.deletingPathExtension().lastPathComponent)
    }

    /// A path whose bytes are not valid UTF-8, checked through those bytes and stored in its
    /// `file://` form (see `LocalPath`); the title is the name with the bad bytes shown as U+FFFD.
    static func resolve(rawPath: [UInt8]) throws -> (uri: String, title: String) {
        let path = LocalPath.absolute(rawPath, in: try LocalPath.currentDirectory().bytes)
        switch path.status {
        case .missing: throw CommandFailure("no such file")
        case .directory: throw CommandFailure("is a directory, not a video file")
        case .unreadable(let reason): throw CommandFailure("cannot be read (\(reason))")
        case .file: return (path.sourceURI, path.displayStem)
        }
    }
}
