import Config
import Foundation
import Domain
import Media
import Pipeline
import Vision

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
                             keyframeStrategy: config.keyframeStrategy, keyframeStrategies: strategies,
                             embeddingModels: EmbeddingModels(try embeddingModels(config)))
    }

    /// The built-in descriptor and the declared ONNX models, checked here (names, sizes,
    /// normalisation, dimension) so a typo stops start-up with its message; whether the file
    /// exists and loads is checked when a clip is embedded, which then fails with the reason.
    static func embeddingModels(_ config: HeatersConfig) throws -> [EmbeddingModel] {
        var models = [EmbeddingModel.builtIn]
        let folder = config.configFile?.deletingLastPathComponent() ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for (name, declared) in config.embeddingModels.sorted(by: { $0.key < $1.key }) {
            let what = "config: embedding model \(name)"
            guard name.range(of: #"^[a-z0-9][a-z0-9._-]{0,63}$"#, options: .regularExpression) != nil else {
                throw CommandFailure("config: embedding model \"\(name)\": names are lowercase letters, digits, ., - and _ (at most 64)")
            }
            guard name != EmbeddingModel.builtIn.name else {
                throw CommandFailure("\(what): the name is the built-in descriptor's; choose another")
            }
            guard declared.inputSize.count == 2 else {
                throw CommandFailure("\(what): input_size is [width, height], got \(declared.inputSize.count) values")
            }
            let order = declared.channels ?? "rgb"
            guard let channels = ImageModelSpec.ChannelOrder(rawValue: order) else {
                throw CommandFailure("\(what): channels \"\(order)\" is not rgb or bgr")
            }
            let path = declared.path.hasPrefix("/") ? declared.path
                : declared.path.hasPrefix("~/") ? NSString(string: declared.path).expandingTildeInPath
                : folder.appendingPathComponent(declared.path).standardizedFileURL.path
            let spec = ImageModelSpec(name: name, path: path, inputWidth: declared.inputSize[0], inputHeight: declared.inputSize[1],
                                      mean: (declared.mean ?? [0, 0, 0]).map(Float.init), std: (declared.std ?? [1, 1, 1]).map(Float.init),
                                      channelOrder: channels, dimension: declared.dimension)
            do {
                try spec.validate()
            } catch {
                throw CommandFailure("config: \(error)")
            }
            let version = declared.version ?? "1"
            guard !version.isEmpty, version.count <= 64 else { throw CommandFailure("\(what): version must be 1–64 characters") }
            models.append(.onnx(spec, version: version, description: declared.description))
        }
        return models
    }
}
