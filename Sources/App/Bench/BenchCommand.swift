import ArgumentParser
import Config
import Foundation
import Media
import Storage

/// `heaters bench …`: developer benchmarks, each against its reference in the same run.
/// Figures go into BENCHMARKS.md (see scripts/bench-media).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Developer benchmarks: preprocess versus the ffmpeg CLI, frame fetch latency, review decision latency, clip export, "
            + "similarity search.",
        subcommands: [Preprocess.self, Frames.self, ReviewBench.self, ExportBench.self, SimilarityBench.self, LoadBench.self])

    /// The p50 and p95 of `values` (sorted here).
    static func percentiles(_ values: [Double]) -> (p50: Double, p95: Double) {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return (0, 0) }
        return (sorted[sorted.count / 2], sorted[min(sorted.count - 1, sorted.count * 95 / 100)])
    }

    /// Wall-clock seconds of `body`.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    struct Preprocess: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Preprocess a file with heaters, then make the same two outputs with the ffmpeg CLI (two runs, and one run with two outputs).")
        @Argument(help: "A source video (1080p30, at least 60 s, for the figures in BENCHMARKS.md).") var source: String
        @Option(help: "The ffmpeg CLI to compare with.") var ffmpeg = "/usr/bin/ffmpeg"

        func run() async throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("heaters-bench-\(getpid())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            LibavLog.silence()
            var result: PreprocessResult?
            let ours = try BenchCommand.time {
                result = try Preprocessor.run(input: source, goldMaster: dir.appendingPathComponent("gold.mkv").path,
                                              proxy: dir.appendingPathComponent("proxy.mp4").path)
            }
            let frames = Double(result?.frameCount ?? 0)
            let height = result?.proxyHeight ?? 360
            let gold = ["-c:v", "ffv1", "-level", "3", "-g", "1", "-slicecrc", "1", "-c:a", "flac"]
            let proxy = ["-map", "0:v:0", "-vf", "scale=-2:\(height)", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
                         "-g", "1", "-x264-params", "keyint=1:min-keyint=1:scenecut=0", "-pix_fmt", "yuv420p", "-an",
                         "-movflags", "+faststart"]
            let base = ["-nostdin", "-v", "error", "-y", "-i", source]
            let goldOnly = try BenchCommand.time { try runFFmpeg(base + gold + [dir.appendingPathComponent("g.mkv").path]) }
            let proxyOnly = try BenchCommand.time { try runFFmpeg(base + proxy + [dir.appendingPathComponent("p.mp4").path]) }
            let both = try BenchCommand.time {
                try runFFmpeg(base + ["-map", "0:v:0", "-map", "0:a?"] + gold + [dir.appendingPathComponent("g2.mkv").path]
                              + proxy + [dir.appendingPathComponent("p2.mp4").path])
            }
            print("preprocess of \(Int(frames)) frames (\(result?.width ?? 0)x\(result?.height ?? 0) -> proxy \(result?.proxyWidth ?? 0)x\(height))")
            print(String(format: "%-44@ %8.1f s %8.1f fps", "heaters (one pass, both outputs)" as NSString, ours, frames / ours))
            print(String(format: "%-44@ %8.1f s %8.1f fps   ratio %.2f", "ffmpeg CLI, two invocations (gold + proxy)" as NSString,
                         goldOnly + proxyOnly, frames / (goldOnly + proxyOnly), (goldOnly + proxyOnly) / ours))
            print(String(format: "%-44@ %8.1f s %8.1f fps   ratio %.2f", "ffmpeg CLI, one invocation, two outputs" as NSString,
                         both, frames / both, both / ours))
            print("(ratio = reference time / heaters time; above 1 means heaters is faster)")
        }

        private func runFFmpeg(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ffmpeg)
            process.arguments = arguments
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw CommandFailure("ffmpeg failed: \(arguments.joined(separator: " "))") }
        }
    }

    struct Frames: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Random frame fetches through the frame index: p50/p95 latency from local storage, and from S3 with --s3.")
        @Argument(help: "A source video; it is preprocessed first.") var source: String
        @Option(help: "Frames to fetch.") var count = 300
        @Option(help: "Also from this S3 store (credentials and endpoint from the environment).") var s3: String?
        @Option(help: "Decoded size.") var width = 640
        @Option(help: "Decoded size.") var height = 360

        func run() async throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("heaters-bench-frames-\(getpid())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            LibavLog.silence()
            let proxy = dir.appendingPathComponent("proxy.mp4")
            _ = try Preprocessor.run(input: source, goldMaster: dir.appendingPathComponent("gold.mkv").path, proxy: proxy.path)
            let index = try FrameIndexBuilder.build(proxy: proxy.path)
            var stores: [(String, any ObjectStore)] = [("local", try LocalObjectStore(root: dir.appendingPathComponent("store")))]
            if let s3 {
                let config = try HeatersConfig.load(overrides: .init(storage: s3))
                let store = try S3ObjectStore(url: s3, aws: config.aws)
                try store.createBucket()
                stores.append(("s3", store))
            }
            var generator = SystemRandomNumberGenerator()
            var picks: [Int] = []
            while picks.count < count {
                let n = Int.random(in: 0..<index.frameCount, using: &generator)
                if picks.last != n { picks.append(n) }  // the 1-frame cache never hits
            }
            print("\(count) random frames of \(index.frameCount), decoded to \(width)x\(height), one ranged read and one decode each")
            for (name, store) in stores {
                let proxyKey = try StorageKey("bench/proxy.mp4")
                try store.put(file: proxy, key: proxyKey)
                var latencies: [Double] = []
                let source = try FrameSource(store: store, proxyKey: proxyKey, index: index, cacheCapacity: 1)
                for n in picks {
                    latencies.append(try BenchCommand.time { _ = try source.frame(n, width: width, height: height) } * 1000)
                }
                let (p50, p95) = BenchCommand.percentiles(latencies)
                print(String(format: "%-6@ p50 %7.2f ms   p95 %7.2f ms", name as NSString, p50, p95))
                try store.delete(key: proxyKey)
            }
        }
    }
}
