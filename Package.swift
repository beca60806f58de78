// swift-tools-version: 6.2
import PackageDescription

/// Strict concurrency is the Swift 6 language mode's default; the flag keeps it explicit.
let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

/// The layer targets live in folders of `Sources/Pipeline`; the `Pipeline` target itself is
/// what is left there (stages, stage table, dispatcher, wiring).
let layerFolders = ["Domain", "Support", "Config", "Storage", "Media", "Vision", "Database", "Queue"]

/// One target per layer, so a dependency the design forbids does not compile. The edges
/// allowed between our own targets are in `scripts/check-layers`, which `make test` runs
/// against this file; README's development section has the table.
func layer(_ name: String, _ dependencies: [Target.Dependency] = []) -> Target {
    .target(name: name, dependencies: dependencies, path: "Sources/Pipeline/\(name)", swiftSettings: strict)
}

let package = Package(
    name: "Heaters",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "heaters", targets: ["App"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
    ],
    targets: [
        // C shims: thin module maps over Debian's system libraries.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // FFmpeg (libav*, Debian's libavformat-dev … libswresample-dev): its headers, and
        // trampolines that open the libraries on the first media call instead of at start-up
        // (Sources/CFFmpeg/libav_loader.c says why), so it is a C target, not a module map.
        .target(name: "CFFmpeg", linkerSettings: [.linkedLibrary("dl")]),
        .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CChafa", pkgConfig: "chafa", providers: [.apt(["libchafa-dev", "libglib2.0-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // OpenCV is C++: COpenCV links the modules the shim uses (not all of opencv4's
        // pkg-config list: see its module map); COpenCVShim is the C API.
        .systemLibrary(name: "COpenCV", providers: [.apt(["libopencv-dev"])]),
        .target(name: "COpenCVShim", dependencies: ["COpenCV"], cxxSettings: [.unsafeFlags(["-I/usr/include/opencv4"])],
                linkerSettings: ["opencv_core", "opencv_imgproc", "opencv_dnn"].map { .linkedLibrary($0) }),

        // The layers, innermost first.
        layer("Domain"),
        layer("Support", [
            .product(name: "Subprocess", package: "swift-subprocess"),
            .product(name: "SystemPackage", package: "swift-system"),
        ]),
        layer("Config", [.product(name: "TOMLKit", package: "TOMLKit")]),
        layer("Storage", ["CCurl", "Config", "Support"]),
        layer("Media", ["CFFmpeg", "Storage", "Support"]),
        layer("Vision", ["COpenCVShim", "Media"]),
        layer("Database", ["CLibPQ", "Domain", "Config", "Support"]),
        layer("Queue", ["Database", "Domain", "Support", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "Pipeline",
            dependencies: [
                "Domain", "Support", "Config", "Storage", "Media", "Vision", "Database", "Queue",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Pipeline",
            exclude: layerFolders,
            swiftSettings: strict
        ),
        .target(name: "TUI", dependencies: ["Domain", "Media", "CNcursesw", "CChafa"], swiftSettings: strict),
        .executableTarget(
            name: "App",
            dependencies: [
                "Domain", "Support", "Config", "Storage", "Media", "Vision", "Database", "Queue", "Pipeline", "TUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // Tests mirror the layers: pure tests per layer need nothing but their layer;
        // IntegrationTests (real Postgres, media, S3 server, tmux) has a folder per layer.
        .testTarget(name: "DomainTests", dependencies: ["Domain"], swiftSettings: strict),
        .testTarget(name: "SupportTests", dependencies: ["Support"], swiftSettings: strict),
        .testTarget(name: "ConfigTests", dependencies: ["Config"], swiftSettings: strict),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Support"], swiftSettings: strict),
        .testTarget(name: "MediaTests", dependencies: ["Media"], swiftSettings: strict),
        .testTarget(name: "VisionTests", dependencies: ["Vision"], swiftSettings: strict),
        .testTarget(name: "DatabaseTests", dependencies: ["Database"], swiftSettings: strict),
        .testTarget(name: "QueueTests", dependencies: ["Queue"], swiftSettings: strict),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Domain", "Media", "Queue"], swiftSettings: strict),
        .testTarget(name: "TUITests", dependencies: ["TUI", "Domain"], swiftSettings: strict),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["Domain", "Support", "Config", "Storage", "Media", "Vision", "Database", "Queue", "Pipeline",
                           "TUI", "App", "CChafa", "CCurl", "CFFmpeg", "COpenCVShim"],
            exclude: ["Fixtures/graphics-terminal.py", "Fixtures/faulty-proxy.py", "Fixtures/read-timeline.py", "Fixtures/read-scene-csv.py"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
