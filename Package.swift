// swift-tools-version: 6.0
import PackageDescription

// Vector width for the Swift kernels: without a CPU target the SIMD loops run 3 to 30 times
// slower (see STYLE.md). `unsafeFlags` are accepted in a root package; ida is an application
// first, and the flag is confined to the numeric targets in release builds.
let vectorWidth: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "haswell"], .when(platforms: [.linux], configuration: .release)),
]

let propertyBased = Target.Dependency.product(name: "PropertyBased", package: "swift-property-based")

let package = Package(
    name: "ida",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ida", targets: ["IDACommand"]),
        .library(name: "IDA", targets: ["TensorCore", "NeuralNetworks", "Tasks", "Amplification", "SeededRandom"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // The system CBLAS (OpenBLAS on Debian: `apt-get install libopenblas-dev`).
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(name: "SeededRandom"),
        .target(name: "OutsideInput"),
        .target(name: "TensorCore", dependencies: ["COpenBLAS", "SeededRandom"], swiftSettings: vectorWidth),
        .target(name: "NeuralNetworks", dependencies: ["TensorCore", "OutsideInput", "SeededRandom"], swiftSettings: vectorWidth),
        .target(name: "Tasks", dependencies: ["SeededRandom", "OutsideInput"]),
        .target(name: "Amplification", dependencies: ["Tasks"]),
        // H′: the learned supervisor, its transcripts and the demonstration schedule.
        .target(name: "Asker", dependencies: ["NeuralNetworks", "TensorCore", "Amplification", "Tasks", "SeededRandom"]),
        // The IA training loop: NeuralAssistant, replay buffer, EMA teacher, curriculum, rounds.
        .target(
            name: "Distillation",
            dependencies: ["TensorCore", "NeuralNetworks", "Tasks", "Amplification", "SeededRandom", "Asker", "OutsideInput"]
        ),
        // Persistence (SQLite through GRDB, Debian `libsqlite3-dev`): runs, metrics, checkpoints.
        .target(name: "Store", dependencies: ["SeededRandom", "OutsideInput", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(
            name: "IDATestSupport",
            dependencies: ["TensorCore", "NeuralNetworks", "Tasks", "Amplification", "SeededRandom"]
        ),
        .executableTarget(
            name: "IDACommand",
            dependencies: [
                "TensorCore", "NeuralNetworks", "Tasks", "Amplification",
                "Store", "Distillation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A headless driver for one distillation run (development; `ida run` is the front end).
        .executableTarget(name: "distill", dependencies: ["Distillation", "Tasks", "Asker"], path: "Examples/distill"),
        // Writes metrics in a loop until killed: StoreTests kill it with SIGKILL (crash safety).
        .executableTarget(name: "StoreCrashHelper", dependencies: ["Store"]),

        .testTarget(name: "SeededRandomTests", dependencies: ["SeededRandom"]),
        .testTarget(name: "OutsideInputTests", dependencies: ["OutsideInput"]),
        .testTarget(
            name: "TensorCoreTests",
            dependencies: ["TensorCore", "IDATestSupport", "SeededRandom", propertyBased]
        ),
        .testTarget(
            name: "NeuralNetworksTests",
            dependencies: ["NeuralNetworks", "TensorCore", "SeededRandom", "IDATestSupport", propertyBased]
        ),
        .testTarget(
            name: "TasksTests",
            dependencies: ["Tasks", "SeededRandom", "IDATestSupport", propertyBased]
        ),
        .testTarget(
            name: "AmplificationTests",
            dependencies: ["Amplification", "Tasks", "SeededRandom", "IDATestSupport", propertyBased]
        ),
        .testTarget(
            name: "AskerTests",
            dependencies: [
                "Asker", "Distillation", "NeuralNetworks", "Amplification", "Tasks", "SeededRandom", "IDATestSupport",
                propertyBased,
            ]
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Store", "StoreCrashHelper", "SeededRandom", "IDATestSupport",
                .product(name: "GRDB", package: "GRDB.swift"), propertyBased,
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "IDACommandTests",
            dependencies: ["IDACommand", "IDATestSupport", "Store", "Distillation", "Tasks", "SeededRandom", propertyBased]
        ),
        .testTarget(
            name: "DistillationTests",
            dependencies: [
                "Distillation", "NeuralNetworks", "Amplification", "Tasks", "SeededRandom", "IDATestSupport",
                propertyBased,
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
