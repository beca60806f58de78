import Domain
import Media

/// What the stages take from the configuration: the export profile approved clips are
/// encoded with, the keyframe strategy and the embedding models, among the built-in ones and those the config
/// file declares. Names are checked when a clip gets to the stage, whose job then fails
/// with the reason.
public struct StageSettings: Sendable {
    public var exportProfile: String
    public var exportProfiles: [String: ExportProfile]
    public var keyframeStrategy: String
    public var keyframeStrategies: [String: KeyframeStrategy]
    /// The models every clip is embedded with (the built-in descriptor and the declared ones).
    public var embeddingModels: EmbeddingModels

    public init(exportProfile: String = "default", exportProfiles: [String: ExportProfile] = ExportProfile.builtIn,
                keyframeStrategy: String = "multi", keyframeStrategies: [String: KeyframeStrategy] = KeyframeStrategy.byName,
                embeddingModels: EmbeddingModels = EmbeddingModels()) {
        self.exportProfile = exportProfile
        self.exportProfiles = exportProfiles
        self.keyframeStrategy = keyframeStrategy
        self.keyframeStrategies = keyframeStrategies
        self.embeddingModels = embeddingModels
    }
}

extension KeyframeStrategy {
    /// The built-in strategies by name.
    public static var byName: [String: KeyframeStrategy] {
        Dictionary(builtIn.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

extension ExportProfile {
    /// The built-in profiles by name.
    public static var builtIn: [String: ExportProfile] {
        Dictionary(ExportProfile.defaults.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
