import Foundation
import Testing
@testable import Config

/// The layering config file < environment < flags, and the file's own checks.
@Suite struct HeatersConfigTests {
    let home = ["HOME": "/home/rev"]

    @Test func defaultsFollowXDG() throws {
        let config = try HeatersConfig.resolve(file: ConfigFile(), environment: home, overrides: .init())
        #expect(config.dataDirectory.path == "/home/rev/.local/share/heaters")
        #expect(config.databaseURL == nil)
        #expect(config.storage == "local")
        #expect(config.logLevel == "info")
        #expect(config.aws.region == "us-east-1")
        let xdg = try HeatersConfig.resolve(file: ConfigFile(), environment: home.merging(["XDG_DATA_HOME": "/srv/data"]) { $1 },
                                            overrides: .init())
        #expect(xdg.dataDirectory.path == "/srv/data/heaters")
        #expect(HeatersConfig.defaultConfigFile(home).path == "/home/rev/.config/heaters/config.toml")
    }

    @Test func environmentBeatsFileAndFlagsBeatEnvironment() throws {
        let file = try ConfigFile(toml: """
            data_dir = "~/from-file"
            database_url = "postgresql://file/db"
            storage = "s3://file-bucket/x"
            [aws]
            access_key_id = "FILEKEY"
            region = "eu-west-1"
            """, source: "test.toml")
        let fromFile = try HeatersConfig.resolve(file: file, environment: home, overrides: .init())
        #expect(fromFile.dataDirectory.path == "/home/rev/from-file")
        #expect(fromFile.databaseURL == "postgresql://file/db")
        #expect(fromFile.aws.accessKeyID == "FILEKEY")
        #expect(fromFile.aws.region == "eu-west-1")

        let env = home.merging(["HEATERS_DATA_DIR": "/env/data", "DATABASE_URL": "postgresql://env/db",
                                "AWS_ACCESS_KEY_ID": "ENVKEY", "HEATERS_STORAGE": "local"]) { $1 }
        let fromEnv = try HeatersConfig.resolve(file: file, environment: env, overrides: .init())
        #expect(fromEnv.dataDirectory.path == "/env/data")
        #expect(fromEnv.databaseURL == "postgresql://env/db")
        #expect(fromEnv.aws.accessKeyID == "ENVKEY")
        #expect(fromEnv.storage == "local")

        let fromFlags = try HeatersConfig.resolve(file: file, environment: env,
                                                  overrides: .init(dataDirectory: "/flag/data", databaseURL: "postgresql://flag/db"))
        #expect(fromFlags.dataDirectory.path == "/flag/data")
        #expect(fromFlags.databaseURL == "postgresql://flag/db")
    }

    @Test func unknownKeysAndBadValuesAreErrors() throws {
        #expect(throws: ConfigError.self) { try ConfigFile(toml: "databse_url = \"x\"", source: "c.toml") }
        do {
            _ = try ConfigFile(toml: "[aws]\nregin = \"x\"", source: "c.toml")
            Issue.record("accepted a misspelt key")
        } catch let error as ConfigError {
            #expect(error.description.contains("regin"))
        }
        #expect(throws: ConfigError.self) { try ConfigFile(toml: "data_dir = ", source: "c.toml") }
        #expect(throws: ConfigError.self) {
            try HeatersConfig.resolve(file: ConfigFile(), environment: ["HEATERS_STORAGE": "ftp://x"], overrides: .init())
        }
        #expect(throws: ConfigError.self) {
            try HeatersConfig.resolve(file: ConfigFile(), environment: [:], overrides: .init(logLevel: "loud"))
        }
    }

    @Test func stationGraphicsFromTheFileOrTheEnvironmentAndOnlyKnownModes() throws {
        #expect(try HeatersConfig.resolve(file: ConfigFile(), environment: home, overrides: .init()).stationGraphics == "symbols")
        let file = try ConfigFile(toml: "[station]\ngraphics = \"Sixel\"", source: "c.toml")
        #expect(try HeatersConfig.resolve(file: file, environment: home, overrides: .init()).stationGraphics == "sixel")
        let env = home.merging(["HEATERS_GRAPHICS": "auto"]) { $1 }
        #expect(try HeatersConfig.resolve(file: file, environment: env, overrides: .init()).stationGraphics == "auto")
        do {
            _ = try HeatersConfig.resolve(file: ConfigFile(), environment: ["HEATERS_GRAPHICS": "iterm2"], overrides: .init())
            Issue.record("accepted an unknown graphics mode")
        } catch let error as ConfigError {
            #expect(error.description.contains("symbols, auto, sixel or kitty"))
        }
    }

    @Test func loadReadsTheFileAndRejectsAMissingExplicitOne() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("heaters"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "log_level = \"debug\"\n".write(to: dir.appendingPathComponent("heaters/config.toml"), atomically: true, encoding: .utf8)
        let config = try HeatersConfig.load(environment: ["HOME": "/nowhere", "XDG_CONFIG_HOME": dir.path])
        #expect(config.logLevel == "debug")
        #expect(config.configFile?.path == dir.appendingPathComponent("heaters/config.toml").path)
        #expect(throws: ConfigError.self) {
            try HeatersConfig.load(environment: ["HOME": "/nowhere"], overrides: .init(configFile: dir.appendingPathComponent("none.toml").path))
        }
    }

    @Test func aConfigFileHoldingASecretMustBeReadableByItsOwnerOnly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("config.toml")
        func load(_ text: String, mode: Int) throws -> HeatersConfig {
            try text.write(to: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
            return try HeatersConfig.load(environment: ["HOME": "/nowhere"], overrides: .init(configFile: file.path))
        }
        let secret = "[aws]\nsecret_access_key = \"wJalrXUtnFEMI/K7MDENG\"\n"
        #expect {
            _ = try load(secret, mode: 0o644)
        } throws: { error in
            let text = "\(error)"
            return text.contains("aws.secret_access_key") && text.contains("mode 644") && text.contains("chmod 600 \(file.path)")
                && !text.contains("wJalrXUtnFEMI")
        }
        #expect(throws: ConfigError.self) { _ = try load("database_url = \"postgresql://app:hunter2@db/heaters\"\n", mode: 0o640) }
        #expect(try load(secret, mode: 0o600).aws.secretAccessKey == "wJalrXUtnFEMI/K7MDENG")
        #expect(try load("database_url = \"postgresql://app@db/heaters\"\n", mode: 0o644).databaseURL != nil, "no password: fine")
    }

    @Test func aPasswordOnTheCommandLineIsRefusedWithWhereToPutIt() throws {
        for url in ["postgresql://app:hunter2@db:5432/heaters", "host=db user=app password=hunter2 dbname=heaters"] {
            #expect {
                _ = try HeatersConfig.load(environment: ["HOME": "/nowhere"], overrides: .init(databaseURL: url))
            } throws: { error in
                "\(error)".contains("--database-url holds a password") && "\(error)".contains("DATABASE_URL") && !"\(error)".contains("hunter2")
            }
        }
        let plain = try HeatersConfig.load(environment: ["HOME": "/nowhere"], overrides: .init(databaseURL: "postgresql://app@db/heaters"))
        #expect(plain.databaseURL == "postgresql://app@db/heaters")
        #expect(!Secrets.hasPassword("postgres://db/heaters?sslmode=require") && Secrets.hasPassword("postgres://u:p@db/x"))
    }

    @Test func secretsNeverAppearInDescriptions() {
        let aws = AWSSettings(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG", sessionToken: nil,
                              region: "us-east-1", endpointURL: nil)
        #expect(!"\(aws)".contains("wJalrXUtnFEMI"))
    }

    @Test func wholeNumbersAreNumbersAndAValueOfTheWrongTypeIsNamedWithWhatItShouldBe() throws {
        let file = try ConfigFile(toml: """
            [review]
            undo_seconds = 60
            [keyframes.strategies.ends]
            positions = [0, 1]
            """, source: "c.toml")
        #expect(file.review?.undoSeconds == 60 && file.keyframes?.strategies?["ends"]?.positions == [0, 1])
        for (toml, message) in [("[review]\nundo_seconds = \"soon\"", "review.undo_seconds must be a number, not the text \"soon\""),
                                ("storage = 42", "storage must be text in quotes, not the whole number 42"),
                                ("[export.profiles.web]\ncrf = 1.5", "export.profiles.web.crf must be a whole number, not the number 1.5"),
                                ("[embeddings.models.m]\ninput_size = [1, 1]\ndimension = 3", "embeddings.models.m.path is missing")] {
            do {
                _ = try ConfigFile(toml: toml, source: "c.toml")
                Issue.record("accepted \(toml)")
            } catch let error as ConfigError {
                #expect(error.description == "c.toml: " + message || error.description.hasPrefix("c.toml: " + message), "\(error)")
                #expect(!error.description.contains("DecodingError"))
            }
        }
    }

    @Test func aDatabaseURLThatIsNoPostgresURLIsRefusedWithoutShowingIt() throws {
        for url in ["heaters please", "mysql://u:hunter22@db/x"] {
            do {
                _ = try HeatersConfig.resolve(file: ConfigFile(), environment: ["DATABASE_URL": url], overrides: .init())
                Issue.record("accepted \(url)")
            } catch let error as ConfigError {
                #expect(error.description.hasPrefix("DATABASE_URL is ") && !error.description.contains("hunter22"), "\(error)")
            }
        }
        for url in ["postgresql://u@db/x", "postgres://db", "host=db dbname=x"] {
            #expect(try HeatersConfig.resolve(file: ConfigFile(), environment: ["DATABASE_URL": url], overrides: .init()).databaseURL == url)
        }
    }

    @Test func theSecretsOfAConfigurationIncludeTheDatabasePasswordAsWrittenAndDecoded() throws {
        #expect(Set(Secrets.passwords(in: "postgresql://u:p%40ss@db:5432/x")) == ["p%40ss", "p@ss"])
        #expect(Secrets.passwords(in: "postgresql://db/x?password=tok3n&sslmode=require") == ["tok3n"])
        #expect(Secrets.passwords(in: "host=db password='a b c' user=u") == ["a b c"])
        #expect(Secrets.passwords(in: "postgresql://u@db/x").isEmpty)
        let config = try HeatersConfig.resolve(file: ConfigFile(), environment: ["DATABASE_URL": "postgres://u:pw123@db/x",
                                                                                 "AWS_SECRET_ACCESS_KEY": "wJalr"], overrides: .init())
        #expect(Set(config.secrets) == ["pw123", "wJalr"] && config.databaseURLOrigin == "DATABASE_URL")
    }
}
