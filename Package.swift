// swift-tools-version: 6.2
import PackageDescription

/// Strict concurrency is the Swift 6 language mode's default; the flag keeps it explicit.
let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

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
        .systemLibrary(name: "CFFmpeg", pkgConfig: "libavformat",
                       providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev", "libswresample-dev"])]),
        .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CChafa", pkgConfig: "chafa", providers: [.apt(["libchafa-dev", "libglib2.0-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // OpenCV is C++: COpenCV only carries opencv4's pkg-config flags; COpenCVShim is the C API.
        .systemLibrary(name: "COpenCV", pkgConfig: "opencv4", providers: [.apt(["libopencv-dev"])]),
        .target(name: "COpenCVShim", dependencies: ["COpenCV"]),

        .target(
            name: "Pipeline",
            dependencies: [
                "CLibPQ", "CFFmpeg", "CCurl", "COpenCVShim",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TUI",
            dependencies: ["Pipeline", "CNcursesw", "CChafa"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "App",
            dependencies: [
                "Pipeline", "TUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline"], swiftSettings: strict),
        .testTarget(name: "TUITests", dependencies: ["TUI", "Pipeline"], swiftSettings: strict),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["Pipeline", "TUI", "App", "CChafa", "CCurl", "CFFmpeg", "COpenCVShim"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
