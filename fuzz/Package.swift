// swift-tools-version:6.0
// Orchard's libFuzzer targets: one executable per input format, each calling `FuzzTarget.consume` from
// the main package. A package of its own so the main build and CI never see sanitizer flags; build and
// run it with fuzz/run.sh (see fuzz/README.md).
import PackageDescription

let targets = ["jpeg-png-exif", "parquet", "tflite", "arrow-ipc", "s3-xml"]
// A path dependency is known by its folder's name (the checkout's: main, ci1, …), not by "Orchard".
let orchard = Context.packageDirectory.split(separator: "/").dropLast().last.map { $0.lowercased() } ?? "orchard"

let package = Package(
    name: "OrchardFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [.systemLibrary(name: "CLibFuzzer", path: "Sources/CLibFuzzer")] + targets.map { name in
        .executableTarget(
            name: name, dependencies: ["CLibFuzzer", .product(name: "FuzzEntryPoints", package: orchard)],
            path: "Sources/\(name)")
    }
)
