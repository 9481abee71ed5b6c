// swift-tools-version:6.0
// ParquetBench: writes Orchard-shaped rows (path, label, list<float> of 1280) with Orchard's Parquet writer,
// for bench/parquet.sh. A package of its own so the benchmark stays out of the main build. Like
// ImagingBench it compiles the Parquet module from the main package's sources through symlinks
// (Sources/{Parquet,CZstd,CSnappy,CZlib}): Parquet is not a product of the main package, and a path
// dependency would resolve and build the whole package graph (gRPC, NIO…) to time one module.
import PackageDescription

let package = Package(
    name: "ParquetBench",
    platforms: [.macOS(.v15)],
    targets: [
        .systemLibrary(name: "CZstd", path: "Sources/CZstd"),
        .systemLibrary(name: "CSnappy", path: "Sources/CSnappy"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "Parquet", dependencies: ["CZstd", "CSnappy", "CZlib"], path: "Sources/Parquet"),
        .executableTarget(name: "ParquetBench", dependencies: ["Parquet"]),
    ]
)
