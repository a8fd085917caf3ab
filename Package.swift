// swift-tools-version: 6.0
import PackageDescription

// Vector width for the Swift kernels: without a CPU target the SIMD loops run 3 to 30 times
// slower (see STYLE.md). `unsafeFlags` are accepted in a root package; ida is an application
// first, and the flag is confined to the numeric targets in release builds.
let vectorWidth: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "haswell"], .when(platforms: [.linux], configuration: .release)),
]

let propertyBased = Target.Dependency.product(name: "PropertyBased", package: "swift-property-based")

// The project modules each module imports directly. Every target is given everything below it,
// not only these: SwiftPM's native build system recompiles a module only when the interface file of
// a module it lists changes, and a struct that gains a stored property two modules down leaves the
// module in between unchanged, so a module copying the struct at its old size would be kept
// (Tests/ToolchainTests/StaleLayout reproduces it).
let imports: [String: [String]] = [
    "SeededRandom": [],
    "OutsideInput": [],
    "COpenBLAS": [],
    "TensorCore": ["COpenBLAS", "SeededRandom"],
    "NeuralNetworks": ["TensorCore", "OutsideInput", "SeededRandom"],
    "Tasks": ["SeededRandom", "OutsideInput"],
    "Amplification": ["Tasks", "SeededRandom"],
    "Asker": ["NeuralNetworks", "TensorCore", "Amplification", "Tasks", "SeededRandom"],
    "Distillation": ["TensorCore", "NeuralNetworks", "Tasks", "Amplification", "SeededRandom", "Asker", "OutsideInput"],
    "Store": ["OutsideInput"],
    "IDATestSupport": ["TensorCore", "NeuralNetworks", "Tasks", "Amplification", "SeededRandom"],
    "Application": [
        "Amplification", "Store", "Tasks", "Distillation", "Asker", "TensorCore", "NeuralNetworks", "SeededRandom",
        "LanguageModels",
    ],
    "IDACommand": [
        "TensorCore", "NeuralNetworks", "Tasks", "Amplification", "Asker", "Store", "Distillation", "SeededRandom",
        "Application", "LanguageModels", "LLMClient", "StorePostgres", "Web",
    ],
    "LanguageModels": ["Amplification", "Tasks"],
    "LLMClient": ["LanguageModels"],
    "StorePostgres": ["Store", "OutsideInput"],
    "StoreCrashHelper": ["Store"],
    "StoreTestSupport": ["Store", "StorePostgres"],
    "EngineCrashHelper": ["Amplification", "Application", "Store", "Tasks", "SeededRandom"],
    "Web": ["Amplification", "Application", "Asker", "Distillation", "Store", "Tasks"],
]

/// `modules` and every project module they reach through `imports`, in a fixed order.
func withEverythingBelow(_ modules: [String]) -> [Target.Dependency] {
    var reached: Set<String> = []
    var pending = modules
    while let module = pending.popLast() {
        if reached.insert(module).inserted {
            pending += imports[module] ?? []
        }
    }
    return reached.sorted().map { .byName(name: $0) }
}

/// The dependencies of the project module `name`: everything below it.
func below(_ name: String) -> [Target.Dependency] {
    withEverythingBelow(imports[name] ?? [])
}

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
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
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
        .target(name: "TensorCore", dependencies: below("TensorCore"), swiftSettings: vectorWidth),
        .target(name: "NeuralNetworks", dependencies: below("NeuralNetworks"), swiftSettings: vectorWidth),
        .target(name: "Tasks", dependencies: below("Tasks")),
        .target(name: "Amplification", dependencies: below("Amplification")),
        // H′: the learned supervisor, its transcripts and the demonstration schedule.
        .target(name: "Asker", dependencies: below("Asker")),
        // The IA training loop: NeuralAssistant, replay buffer, EMA teacher, curriculum, rounds.
        .target(name: "Distillation", dependencies: below("Distillation")),
        // Persistence (SQLite through GRDB, Debian `libsqlite3-dev`): runs, metrics, checkpoints.
        .target(name: "Store", dependencies: below("Store") + [.product(name: "GRDB", package: "GRDB.swift")]),
        // The same store on PostgreSQL (postgres-nio, a heavy build kept apart like AsyncHTTPClient).
        .target(
            name: "StorePostgres",
            dependencies: below("StorePostgres") + [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(name: "IDATestSupport", dependencies: below("IDATestSupport")),
        // Fresh databases on both stores for the tests that use a store (Swift Testing).
        .target(name: "StoreTestSupport", dependencies: below("StoreTestSupport")),
        // `ida serve`: people as supervisors in a web app (Hummingbird, bcrypt, SHA-256), a heavy
        // build kept apart like the other servers' clients.
        .target(
            name: "Web",
            dependencies: below("Web") + [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Language models as supervisors and assistants, over any `ChatModel`: no HTTP here.
        .target(name: "LanguageModels", dependencies: below("LanguageModels")),
        // The OpenAI-compatible HTTP client (AsyncHTTPClient): the only module that imports HTTP,
        // and a heavy build, kept apart so that the core builds fast.
        .target(
            name: "LLMClient",
            dependencies: below("LLMClient") + [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // What the command line and a server share: stored trees and their journal.
        .target(name: "Application", dependencies: below("Application")),
        .executableTarget(
            name: "IDACommand",
            dependencies: below("IDACommand") + [.product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // A headless driver for one distillation run (development; `ida run` is the front end).
        .executableTarget(name: "distill", dependencies: withEverythingBelow(["Distillation", "Tasks", "Asker"]), path: "Examples/distill"),
        // Writes metrics in a loop until killed: StoreTests kill it with SIGKILL (crash safety).
        .executableTarget(name: "StoreCrashHelper", dependencies: below("StoreCrashHelper")),
        // Grows a tree under a slow supervisor until killed, or resumes it: the command-line tests
        // kill it with SIGKILL (resume after a crash).
        .executableTarget(name: "EngineCrashHelper", dependencies: below("EngineCrashHelper")),

        .testTarget(name: "SeededRandomTests", dependencies: withEverythingBelow(["SeededRandom"])),
        .testTarget(name: "OutsideInputTests", dependencies: withEverythingBelow(["OutsideInput"])),
        // A build-system bug the dependency lists above work around, and its reproducer.
        .testTarget(name: "ToolchainTests", dependencies: withEverythingBelow(["IDATestSupport"]), exclude: ["StaleLayout"]),
        .testTarget(
            name: "TensorCoreTests",
            dependencies: withEverythingBelow(["TensorCore", "IDATestSupport", "SeededRandom"]) + [propertyBased]
        ),
        .testTarget(
            name: "NeuralNetworksTests",
            dependencies: withEverythingBelow(["NeuralNetworks", "TensorCore", "SeededRandom", "IDATestSupport"]) + [propertyBased]
        ),
        .testTarget(
            name: "TasksTests",
            dependencies: withEverythingBelow(["Tasks", "SeededRandom", "IDATestSupport"]) + [propertyBased]
        ),
        .testTarget(
            name: "AmplificationTests",
            dependencies: withEverythingBelow(["Amplification", "Tasks", "SeededRandom", "IDATestSupport"]) + [propertyBased]
        ),
        .testTarget(
            name: "AskerTests",
            dependencies: withEverythingBelow([
                "Asker", "Distillation", "NeuralNetworks", "Amplification", "Tasks", "SeededRandom", "IDATestSupport",
            ]) + [propertyBased]
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: withEverythingBelow([
                "Store", "StorePostgres", "StoreCrashHelper", "SeededRandom", "IDATestSupport", "StoreTestSupport",
            ]) + [
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
                propertyBased,
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "IDACommandTests",
            dependencies: withEverythingBelow([
                "IDACommand", "IDATestSupport", "Store", "Distillation", "Asker", "Amplification", "NeuralNetworks", "Tasks",
                "SeededRandom", "Application", "EngineCrashHelper", "StoreTestSupport",
            ]) + [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "PostgresNIO", package: "postgres-nio"), propertyBased,
            ]
        ),
        .testTarget(
            name: "WebTests",
            dependencies: withEverythingBelow([
                "Web", "Application", "Store", "StorePostgres", "Amplification", "Tasks", "StoreTestSupport", "IDATestSupport",
            ]) + [
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "LanguageModelsTests",
            dependencies: withEverythingBelow(["LanguageModels", "Amplification", "Tasks", "SeededRandom", "IDATestSupport"])
        ),
        .testTarget(
            name: "LLMClientTests",
            dependencies: withEverythingBelow(["LLMClient", "LanguageModels", "Amplification", "Tasks", "Application", "Store"]) + [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "DistillationTests",
            dependencies: withEverythingBelow([
                "Distillation", "NeuralNetworks", "Amplification", "Tasks", "SeededRandom", "IDATestSupport",
            ]) + [propertyBased]
        ),
    ],
    swiftLanguageModes: [.v6]
)
