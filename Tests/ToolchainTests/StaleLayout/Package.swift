// swift-tools-version: 6.0
import PackageDescription

// App copies Outer, which holds Inner inline; App reaches Inner only through Outer. `reproduce`
// adds stored properties to Inner between incremental builds.
let package = Package(
    name: "StaleLayout",
    targets: [
        .target(name: "Inner"),
        .target(name: "Outer", dependencies: ["Inner"]),
        .executableTarget(name: "App", dependencies: ["Outer"]),
    ]
)
