// swift-tools-version:6.0
// S3Bench: downloads every object under a prefix with Orchard's S3 client, for bench/s3-download.sh.
// A package of its own so benchmarks stay out of the main build; it depends on the main package by path.
import Foundation
import PackageDescription

/// A path dependency's identity is its folder name, which depends on where the repository was cloned.
let mainPackage = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent()
    .deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "S3Bench",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../..")],
    targets: [
        .executableTarget(name: "S3Bench", dependencies: [.product(name: "S3", package: mainPackage)])
    ]
)
