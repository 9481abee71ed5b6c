// swift-tools-version:6.0
// ImagingBench: per-image cost of Orchard's decode → resize → scale, for bench/imaging-preprocess.sh.
// A package of its own so benchmarks stay out of the main build. Like InferenceBench it compiles the
// Imaging module from the main package's sources through symlinks (Sources/{Imaging,CTurboJPEG,CPNG,COrchardKernels}),
// because a path dependency would resolve and build the whole package graph to time one module.
import PackageDescription

let package = Package(
    name: "ImagingBench",
    platforms: [.macOS(.v15)],
    targets: [
        .systemLibrary(name: "CTurboJPEG", path: "Sources/CTurboJPEG"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        .target(name: "COrchardKernels", path: "Sources/COrchardKernels"),
        .target(name: "Imaging", dependencies: ["CTurboJPEG", "CPNG", "COrchardKernels"], path: "Sources/Imaging"),
        .executableTarget(name: "ImagingBench", dependencies: ["Imaging"]),
    ]
)
