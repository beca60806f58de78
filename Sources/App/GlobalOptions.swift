import ArgumentParser
import Config
import Foundation

/// Options every command takes; they override the config file and the environment.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Data directory (database cluster, local storage).", valueName: "path"))
    var dataDir: String?

    @Option(name: .long, help: ArgumentHelp("Postgres URL to use instead of the embedded database.", valueName: "url"))
    var databaseURL: String?

    @Option(name: .long, help: ArgumentHelp("Config file to read instead of $XDG_CONFIG_HOME/heaters/config.toml.", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel: String?

    /// The configuration with these flags applied on top of file and environment.
    func load() throws -> HeatersConfig {
        do {
            let loaded = try HeatersConfig.load(overrides: .init(configFile: config, dataDirectory: dataDir,
                                                                 databaseURL: databaseURL, logLevel: logLevel))
            ErrorContext.shared.record(loaded)
            return loaded
        } catch let error as ConfigError {
            throw CommandFailure(error.description)
        }
    }
}
