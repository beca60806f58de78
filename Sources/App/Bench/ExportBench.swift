import ArgumentParser
import Foundation
import Media

extension BenchCommand {
    /// Frame-exact clip export from a gold master with `ClipExporter`, timed clip by clip
    /// (scripts/bench-export runs the ffmpeg CLI on the same clips of the same master beside it).
    struct ExportBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Export frame-exact clips from a gold master: seconds and frames/s per clip and in total.",
            discussion: """
                The master is opened once (timed apart), then each clip is exported in turn to a temporary \
                folder, deleted at the end unless --keep names one. scripts/bench-export makes a master with \
                the pipeline and runs the ffmpeg CLI on the same clips beside this.
                """)
        @Argument(help: "A gold master as preprocess writes it (FFV1 + FLAC in MKV), e.g. <data>/storage/sources/1/gold.mkv.")
        var master: String
        @Option(help: ArgumentHelp("Clips as frame ranges START:END (END exclusive), comma-separated, e.g. 100:200,500:625.",
                                    valueName: "ranges"))
        var clips: String
        @Option(help: ArgumentHelp("The export profile: \(ExportProfile.defaults.map(\.name).joined(separator: ", ")).",
                                    valueName: "name"))
        var profile = "default"
        @Option(help: ArgumentHelp("Keep the exported files in this folder (clip-START-END.mp4) instead of deleting them.",
                                    valueName: "folder"))
        var keep: String?
        @Flag(help: "Print JSON.") var json = false

        struct Clip: Encodable {
            var start: Int
            var end: Int
            var frames: Int
            var seconds: Double
            var fps: Double
            var width: Int
            var height: Int
            var audioSeconds: Double?
            var bytes: Int64
            var output: String?
        }

        struct Report: Encodable {
            struct Profile: Encodable {
                var name: String
                var crf: Int
                var preset: String
                var maxHeight: Int?
                var audioBitrate: Int
            }
            var master: String
            var profile: Profile
            var openSeconds: Double
            var clips: [Clip]
            var frames: Int
            /// Sum of the exports, the open excluded.
            var exportSeconds: Double
            var fps: Double
        }

        func run() async throws {
            try await reportingErrors {
                let ranges = try Self.parse(clips)
                guard let chosen = ExportProfile.defaults.first(where: { $0.name == profile }) else {
                    throw CommandFailure("no export profile \"\(profile)\" (known: "
                                         + ExportProfile.defaults.map(\.name).joined(separator: ", ") + ")")
                }
                guard FileManager.default.fileExists(atPath: master) else { throw CommandFailure("no file at \(master)") }
                let folder: URL
                if let keep {
                    folder = URL(fileURLWithPath: keep)
                } else {
                    folder = FileManager.default.temporaryDirectory.appendingPathComponent("heaters-bench-export-\(getpid())")
                }
                do {
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                } catch {
                    throw CommandFailure("cannot create \(folder.path): \(error.localizedDescription)")
                }
                defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
                LibavLog.silence()

                var exporter: ClipExporter?
                let open: Double
                do {
                    open = try BenchCommand.time { exporter = try Media.ClipExporter(master: master) }
                } catch {
                    throw CommandFailure("cannot open the gold master \(master): \(error)")
                }
                guard let exporter else { throw CommandFailure("cannot open the gold master \(master)") }

                var results: [Clip] = []
                for (start, end) in ranges {
                    let output = folder.appendingPathComponent("clip-\(start)-\(end).mp4")
                    var exported: ExportedClip?
                    let seconds: Double
                    do {
                        seconds = try BenchCommand.time {
                            exported = try exporter.export(startFrame: start, endFrame: end, profile: chosen, output: output.path)
                        }
                    } catch {
                        throw CommandFailure("export of frames \(start):\(end) failed: \(error)")
                    }
                    guard let exported else { throw CommandFailure("export of frames \(start):\(end) returned nothing") }
                    results.append(Clip(start: start, end: end, frames: exported.frames, seconds: seconds,
                                        fps: Double(exported.frames) / max(seconds, 1e-9), width: exported.width,
                                        height: exported.height, audioSeconds: exported.audioSeconds, bytes: exported.bytes,
                                        output: keep == nil ? nil : output.path))
                }
                let frames = results.map(\.frames).reduce(0, +)
                let total = results.map(\.seconds).reduce(0, +)
                let report = Report(
                    master: master,
                    profile: .init(name: chosen.name, crf: chosen.crf, preset: chosen.preset, maxHeight: chosen.maxHeight,
                                   audioBitrate: chosen.audioBitrate),
                    openSeconds: open, clips: results, frames: frames, exportSeconds: total,
                    fps: Double(frames) / max(total, 1e-9))
                if json {
                    print(try CommandOutput.json(report))
                    return
                }
                print("\(results.count) clips of \(master), profile \(chosen.name) (x264 \(chosen.preset) "
                      + (chosen.crf == 0 ? "lossless" : "CRF \(chosen.crf)")
                      + ", AAC \(chosen.audioBitrate / 1000) kb/s); master opened in "
                      + String(format: "%.3f s", open))
                for clip in results {
                    print(String(format: "%-22@ %5d frames %4dx%-4d %8.2f s %8.1f fps %9.1f KiB",
                                 "frames \(clip.start):\(clip.end)" as NSString, clip.frames, clip.width, clip.height,
                                 clip.seconds, clip.fps, Double(clip.bytes) / 1024))
                }
                print(String(format: "%-22@ %5d frames %9@ %8.2f s %8.1f fps   (open excluded)", "total" as NSString, frames,
                             "" as NSString, total, report.fps))
            }
        }

        /// "S:E,S:E,…" → frame ranges, each with 0 ≤ S < E.
        static func parse(_ text: String) throws -> [(Int, Int)] {
            let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !items.isEmpty else { throw CommandFailure("--clips names no clip: give START:END frame ranges, e.g. 100:200,500:625") }
            return try items.map { item in
                let parts = item.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 2, let start = Int(parts[0]), let end = Int(parts[1]) else {
                    throw CommandFailure("--clips: \"\(item)\" is not START:END (two frame numbers)")
                }
                guard start >= 0, start < end else {
                    throw CommandFailure("--clips: \"\(item)\" is not a range of frames (need 0 <= START < END)")
                }
                return (start, end)
            }
        }
    }
}
