import Media

/// What the stages take from the configuration: the export profile approved clips are
/// encoded with, among the built-in profiles and those the config file declares.
public struct StageSettings: Sendable {
    public var exportProfile: String
    public var exportProfiles: [String: ExportProfile]

    public init(exportProfile: String = "default", exportProfiles: [String: ExportProfile] = ExportProfile.builtIn) {
        self.exportProfile = exportProfile
        self.exportProfiles = exportProfiles
    }
}

extension ExportProfile {
    /// The built-in profiles by name.
    public static var builtIn: [String: ExportProfile] {
        Dictionary(ExportProfile.defaults.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
