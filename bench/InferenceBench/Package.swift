// swift-tools-version:6.0
// InferenceBench: images/s of Orchard's MobileNetV2 on each backend, for bench/inference.py.
// A package of its own so benchmarks stay out of the main build. It compiles the MobileNet module from
// the main package's sources through symlinks (Sources/{MobileNet,CXNNPACK,COneDNN,CHDF5,COrchardKernels} → ../../../Sources/…):
// the main package exports no MobileNet product, and a path dependency would resolve and build the
// whole package graph (gRPC, NIO) just to benchmark one module.
import PackageDescription

let package = Package(
    name: "InferenceBench",
    platforms: [.macOS(.v15)],
    targets: [
        .systemLibrary(name: "CXNNPACK", path: "Sources/CXNNPACK"),
        .systemLibrary(name: "COneDNN", path: "Sources/COneDNN"),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5"),
        .target(name: "COrchardKernels", path: "Sources/COrchardKernels"),
        .target(name: "MobileNet", dependencies: ["CXNNPACK", "COneDNN", "CHDF5", "COrchardKernels"],
                path: "Sources/MobileNet"),
        .executableTarget(name: "InferenceBench", dependencies: ["MobileNet"]),
    ]
)
