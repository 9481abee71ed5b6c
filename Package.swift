// swift-tools-version:6.0
// Orchard: image featurisation for Fruits! — decode, MobileNetV2 features, PCA, Parquet, on one
// machine or on Spark. Each library target has one job; the `orchard` executable is a thin CLI.
import PackageDescription

/// A C library from Debian, reached through a `systemLibrary` target with its own module map.
func systemLibrary(_ name: String, _ apt: String) -> Target {
    .systemLibrary(name: name, path: "Sources/\(name)", providers: [.apt([apt])])
}

let package = Package(
    name: "Orchard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "orchard", targets: ["OrchardCLI"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
        .library(name: "S3", targets: ["S3"]),
        // For the libFuzzer package in fuzz/, which builds these with sanitizers in its own .build.
        .library(name: "FuzzEntryPoints", targets: ["FuzzEntryPoints"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.0.0"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.0.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.0.0"),
        // The HTTP server (`orchard serve`): routes generated from its OpenAPI document, metrics, lifecycle.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        // C libraries (Debian -dev packages; `.ci/run` installs them).
        systemLibrary("CTurboJPEG", "libturbojpeg0-dev"),
        systemLibrary("CPNG", "libpng-dev"),
        systemLibrary("CXNNPACK", "libxnnpack-dev"),
        systemLibrary("COneDNN", "libdnnl-dev"),
        systemLibrary("CHDF5", "libhdf5-dev"),
        systemLibrary("CBLAS", "libopenblas-dev"),
        systemLibrary("CZstd", "libzstd-dev"),
        systemLibrary("CSnappy", "libsnappy-dev"),
        systemLibrary("CZlib", "zlib1g-dev"),

        // Orchard's own C kernels (clang, ISA chosen at run time), where a library's kernel measured slow.
        // Optimised in debug builds too: the network spends ~90 % of its time in these kernels, and at -O0 a
        // test featurizing the sample took minutes instead of seconds.
        .target(name: "COrchardKernels", cSettings: [.unsafeFlags(["-O2"])]),

        // Libraries, one job each.
        .target(name: "Imaging", dependencies: ["CTurboJPEG", "CPNG", "COrchardKernels"]),
        .target(name: "MobileNet", dependencies: ["CXNNPACK", "COneDNN", "CHDF5", "COrchardKernels"]),
        .target(name: "ModelExport", dependencies: ["MobileNet"]),
        .target(name: "LinearAlgebra", dependencies: ["CBLAS"]),
        // Image bytes → prediction: the one library featurize, classify and the server share.
        .target(
            name: "Recognition",
            dependencies: ["Imaging", "MobileNet", "LinearAlgebra", "CBLAS", .product(name: "Crypto", package: "swift-crypto")]),
        // Code swift-openapi-generator made from Sources/Server/openapi.yaml (scripts/generate-openapi.sh);
        // committed, so CI builds no generator plugin.
        .target(
            name: "ServerAPI", dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            exclude: ["README.md", "openapi-generator-config.yaml"]),
        // The HTTP API over Recognition: routes, limits, problem responses, metrics, the upload page.
        .target(
            name: "Server",
            dependencies: [
                "Recognition", "ServerAPI", "Imaging",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Resources")]),
        .target(name: "Parquet", dependencies: ["CZstd", "CSnappy", "CZlib"]),
        .target(name: "Storage"),
        .target(
            name: "S3",
            dependencies: [
                "Storage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "SparkConnectProtos",
            dependencies: [
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            ],
            exclude: ["README.md", "Descriptors"]),
        .target(
            name: "SparkConnect",
            dependencies: [
                "SparkConnectProtos", "CZlib",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]),
        .target(
            name: "Pipeline",
            dependencies: [
                "Imaging", "MobileNet", "LinearAlgebra", "Recognition", "Parquet", "Storage", "S3", "SparkConnect",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "OrchardCLI",
            dependencies: [
                "Pipeline", "Imaging", "MobileNet", "LinearAlgebra", "Parquet", "Storage", "S3", "Recognition", "ModelExport", "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Release binaries ship to every Spark executor: without DWARF they are 33 MB instead of 134 MB
            // (symbols stay, so backtraces still name functions).
            linkerSettings: [.unsafeFlags(["-Xlinker", "--strip-debug"], .when(configuration: .release))]),

        // Tests mirror the library targets; OrchardTestKit holds what they share (child processes, waiting,
        // rounding bounds).
        .target(name: "OrchardTestKit", dependencies: ["LinearAlgebra"], path: "Tests/OrchardTestKit"),
        // Spark Connect protocol checks against older releases' descriptor sets, and a fake server that
        // speaks such a release (grpc-swift-2 on loopback), for SparkConnect and Pipeline tests.
        .target(
            name: "SparkConnectTestKit",
            dependencies: [
                "SparkConnectProtos", "OrchardTestKit",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Tests/SparkConnectTestKit"),
        // The parsing calls each fuzz target makes, shared by fuzz/ and the corpus regression test.
        .target(
            name: "FuzzEntryPoints", dependencies: ["Imaging", "MobileNet", "Parquet", "S3", "SparkConnect"],
            path: "Tests/FuzzEntryPoints"),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "OrchardTestKit", "COrchardKernels"], resources: [.copy("Resources")]),
        .testTarget(
            name: "MobileNetTests", dependencies: ["MobileNet", "Imaging", "OrchardTestKit", "CHDF5", "COrchardKernels", "CXNNPACK"], resources: [.copy("Resources")]),
        .testTarget(name: "ModelExportTests", dependencies: ["ModelExport", "MobileNet", "Imaging", "OrchardTestKit"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "OrchardTestKit"]),
        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "OrchardTestKit"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage"]),
        .testTarget(name: "S3Tests", dependencies: ["S3", "OrchardTestKit"], resources: [.copy("Resources")]),
        .testTarget(name: "SparkConnectTests", dependencies: ["SparkConnect", "OrchardTestKit", "SparkConnectTestKit"]),
        .testTarget(
            name: "PipelineTests",
            dependencies: ["Pipeline", "Imaging", "MobileNet", "Recognition", "Storage", "S3", "OrchardTestKit", "SparkConnectTestKit"]),
        .testTarget(name: "RecognitionTests", dependencies: ["Recognition", "Pipeline", "OrchardTestKit"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Recognition", "Imaging", "OrchardTestKit", .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]),
        .testTarget(name: "FuzzEntryPointsTests", dependencies: ["FuzzEntryPoints"]),
        .testTarget(name: "OrchardCLITests", dependencies: ["OrchardCLI", "Imaging", "OrchardTestKit"]),
    ]
)
