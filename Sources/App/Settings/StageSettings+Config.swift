import Config
import Domain
import Media
import Pipeline

extension StageSettings {
    /// The stages' settings from the configuration: the export profile named there (checked
    /// when a clip is exported, so a wrong name fails the export with its message), and the
    /// built-in profiles with the file's declared over them; a declared profile's missing
    /// values come from the built-in of that name, else from `default`.
    static func from(_ config: HeatersConfig) throws -> StageSettings {
        var profiles = ExportProfile.builtIn
        for (name, declared) in config.exportProfiles {
            guard name.range(of: #"^[a-z0-9][a-z0-9_-]{0,31}$"#, options: .regularExpression) != nil else {
                throw CommandFailure("config: export profile \"\(name)\": names are lowercase letters, digits, - and _ (at most 32)")
            }
            var profile = profiles[name] ?? profiles["default"]!
            profile.name = name
            if let crf = declared.crf {
                guard (0...51).contains(crf) else { throw CommandFailure("config: export profile \(name): crf \(crf) is not 0–51") }
                profile.crf = crf
            }
            if let preset = declared.preset {
                let presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"]
                guard presets.contains(preset) else {
                    throw CommandFailure("config: export profile \(name): preset \"\(preset)\" is not one of \(presets.joined(separator: ", "))")
                }
                profile.preset = preset
            }
            if let height = declared.maxHeight {
                guard height >= 16, height <= 8640 else {
                    throw CommandFailure("config: export profile \(name): max_height \(height) is not 16–8640")
                }
                profile.maxHeight = height
            }
            if let bitrate = declared.audioBitrate {
                guard (32_000...512_000).contains(bitrate) else {
                    throw CommandFailure("config: export profile \(name): audio_bitrate \(bitrate) is not 32000–512000")
                }
                profile.audioBitrate = bitrate
            }
            profiles[name] = profile
        }
        var strategies = KeyframeStrategy.byName
        for (name, positions) in config.keyframeStrategies {
            guard name.range(of: #"^[a-z0-9][a-z0-9_-]{0,31}$"#, options: .regularExpression) != nil else {
                throw CommandFailure("config: keyframe strategy \"\(name)\": names are lowercase letters, digits, - and _ (at most 32)")
            }
            guard !positions.isEmpty, positions.count <= 16, positions.allSatisfy({ (0...1).contains($0) }) else {
                throw CommandFailure("config: keyframe strategy \(name): positions must be 1–16 fractions of the clip from 0 to 1")
            }
            strategies[name] = KeyframeStrategy(name: name, fractions: positions)
        }
        return StageSettings(exportProfile: config.exportProfile, exportProfiles: profiles,
                             keyframeStrategy: config.keyframeStrategy, keyframeStrategies: strategies)
    }
}
