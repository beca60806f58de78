import ArgumentParser
import Config
import Database
import Foundation
import Logging
import Media
import Pipeline
import Queue
import Storage
import Support
import TUI

/// The default command: the review station with the pipeline's workers in the background,
/// or (`--headless`) the workers alone.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Open the review station (the default command), or with --headless run the pipeline's workers only.",
        discussion: """
            Headless mode is for servers: run one on each machine, all sharing one Postgres and \
            one object store. Logs go to stderr, readable on a terminal and as JSON lines \
            otherwise. SIGTERM or SIGINT stops taking work, hands running jobs back, and exits 0.
            """)
    @OptionGroup var global: GlobalOptions

    @Flag(help: "Run the pipeline's workers with no user interface.")
    var headless = false

    @Option(help: ArgumentHelp("Worker threads for every queue (default: media = cores, io = 4, default = 2).", valueName: "n"))
    var workers: Int?

    @Option(help: ArgumentHelp("Worker threads per queue, e.g. media=1,io=4.", valueName: "list"))
    var queues: String?

    @Flag(help: "With --headless: exit 0 once no job is left or scheduled.")
    var untilIdle = false

    @Option(help: .hidden) var leaseSeconds: Int = 30

    @Option(help: ArgumentHelp("The review station's theme (a file in themes/: default, light, high-contrast).", valueName: "name"))
    var theme: String?

    @Option(help: ArgumentHelp("Pictures as symbols (default), or in pixels: auto (where the terminal answers a sixel or kitty query; never under tmux or screen), sixel, kitty.", valueName: "mode"))
    var graphics: String?

    @Option(help: ArgumentHelp("The reviewer the log records (default: your login name).", valueName: "name"))
    var reviewer: String?

    func run() async throws {
        try await reportingErrors {
            let config = try global.load()
            var pool = WorkerPool.Configuration.defaults
            pool.queues = try QueueConcurrency.resolve(workers: workers, queues: queues)
            pool.lease = .seconds(max(leaseSeconds, 1))
            // Opened first: a store that cannot be opened stops start-up with its message,
            // rather than failing every job the workers take.
            let storage = try ObjectStores.open(config)
            // Likewise libav, which the media stages and the station's pictures need: a library
            // that cannot be loaded (or lacks a function) is said here, not mid-job or under ncurses.
            if let failure = LibavVersions.loadFailure {
                throw CommandFailure("\(failure): \(LibavVersions.fix)", code: 69)
            }
            if headless {
                HeatersLogHandler.bootstrap(level: Logger.Level(rawValue: config.logLevel) ?? .info)
                let database = try DatabaseServer.forConfig(config)
                try await HeadlessRunner(config: config, conninfo: try await database.prepare(), storage: storage,
                                         pool: pool, untilIdle: untilIdle).run()
            } else {
                guard !untilIdle else { throw CommandFailure("--until-idle needs --headless") }
                try await review(config, storage, pool)
            }
        }
    }

    private func review(_ config: HeatersConfig, _ storage: any ObjectStore,
                        _ poolConfiguration: WorkerPool.Configuration) async throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw CommandFailure("the review station needs a terminal (stdin and stdout must be a tty); use --headless on servers")
        }
        // ncurses' initscr exits the process on an unknown TERM; say what to do instead.
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        guard !term.isEmpty, TerminalLibraries.colors(forTerminal: term) != nil else {
            throw CommandFailure("terminfo has no entry for TERM=\"\(term)\": set TERM=xterm-256color, or apt install ncurses-term")
        }
        let keymap: Keymap
        let stationTheme: Theme
        let pictures: GraphicsSetting
        do {
            keymap = try Keymap(overrides: config.keys)
            stationTheme = try Theme.load(theme ?? config.stationTheme)
            pictures = try GraphicsSetting(parsing: graphics ?? config.stationGraphics)
        } catch let error as GraphicsSettingError {
            throw CommandFailure(error.description)
        } catch let error as KeymapError {
            throw CommandFailure("config: \(error.description)")
        } catch let error as ThemeError {
            throw CommandFailure(error.description)
        }
        let database = try DatabaseServer.forConfig(config)
        let conninfo = try await database.prepare()
        // Workers log to a file: the screen belongs to the station.
        let logFile = config.dataDirectory.appendingPathComponent("heaters.log")
        if !FileManager.default.fileExists(atPath: logFile.path) { _ = FileManager.default.createFile(atPath: logFile.path, contents: nil) }
        if let handle = try? FileHandle(forWritingTo: logFile) {
            _ = try? handle.seekToEnd()
            HeatersLogHandler.bootstrap(level: Logger.Level(rawValue: config.logLevel) ?? .info, output: handle)
        }
        let scratch = try TemporaryFiles.forThisProcess(dataDirectory: config.dataDirectory)
        defer { scratch.remove() }
        StoreHousekeeping.sweepAbandonedWrites(in: storage)
        LibavLog.silence()
        let handler = StageHandler(storage: storage, scratch: scratch.directory, tools: PythonTools.locate(explicit: config.venv),
                                   settings: try StageSettings.from(config))
        var configuration = poolConfiguration
        configuration.niceness = 10
        let workers = WorkerPool(conninfo: conninfo, configuration: configuration, handler: handler)
        workers.start()
        defer { workers.stop() }
        let backend = DatabaseReviewBackend(connection: try database.connect(), storage: storage,
                                            reviewer: reviewer.flatMap { $0.isEmpty ? nil : $0 } ?? LoginName.current,
                                            undoSeconds: config.undoSeconds, similarityModel: config.embeddingModel)
        let options = ReviewStation.Options(
            keymap: keymap, theme: stationTheme,
            colors: ColorMode.choose(setting: config.stationColor, environment: ProcessInfo.processInfo.environment),
            bookmark: config.dataDirectory.appendingPathComponent("station-\(String(backend.reviewer.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }.prefix(64))).json"),
            graphics: pictures)
        // ncurses belongs to the main thread; the station blocks it until the reviewer quits.
        try await MainActor.run {
            try ReviewStation(backend: backend, options: options).run()
        }
    }
}
