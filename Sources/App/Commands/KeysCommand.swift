import ArgumentParser
import Config
import TUI

/// `heaters keys`: the review station's keys, as the `?` overlay shows them (the README's
/// table is this command's `--markdown` output).
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "List the review station's keys (with the config file's [keys] applied).")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print the README's Markdown table.") var markdown = false
    @Flag(help: "Ignore the config file's [keys]: the defaults.") var defaults = false

    func run() async throws {
        try await reportingErrors {
            let keymap: Keymap
            do {
                keymap = try Keymap(overrides: defaults ? [:] : try global.load().keys)
            } catch let error as KeymapError {
                throw CommandFailure("config: \(error.description)")
            }
            if markdown {
                print(keymap.markdownTable())
                return
            }
            var group: StationAction.Group?
            for entry in keymap.helpTable() {
                if entry.group != group {
                    group = entry.group
                    print(entry.group.rawValue)
                }
                print("  " + entry.keys.padding(toLength: 12, withPad: " ", startingAt: 0) + entry.help)
            }
        }
    }
}
