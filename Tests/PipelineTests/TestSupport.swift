import Foundation
import OrchardTestKit
@testable import Pipeline

/// Paths and small helpers shared by the pipeline tests.
enum TestSupport {
    /// The package root (tests live two levels below it).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    /// The read-only shared folder beside the repository.
    static let shared = ProcessInfo.processInfo.environment["ORCHARD_SHARED"] ?? packageRoot + "/../shared"
    /// The real ImageNet MobileNetV2 (TFLite, int8 weights).
    static let model = shared + "/models/mobilenet_v2_1.0_224_imagenet_dynamic_int8.tflite"
    /// The sample photos.
    static let samples = shared + "/data/fruits-360-sample"

    /// A new empty temporary folder.
    static func temporaryFolder(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "orchard-\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A folder of `perClass` sample photos from each class of `split` (copied, in class folders).
    static func sampleFolder(classes: [String], perClass: Int, split: String = "Test") throws -> String {
        let folder = try temporaryFolder("input")
        for name in classes {
            let source = "\(samples)/\(split)/\(name)"
            let files = try FileManager.default.contentsOfDirectory(atPath: source).sorted().prefix(perClass)
            try FileManager.default.createDirectory(atPath: "\(folder)/\(name)", withIntermediateDirectories: true)
            for file in files {
                try FileManager.default.copyItem(atPath: "\(source)/\(file)", toPath: "\(folder)/\(name)/\(file)")
            }
        }
        return folder
    }

    /// Runs python3 with `script` and arguments; returns standard output, throwing on failure.
    static func python(_ script: String, _ arguments: [String] = []) throws -> String {
        try run("/usr/bin/env", ["python3", "-c", script] + arguments)
    }

    /// Runs a program to completion; returns standard output, throwing with standard error on failure.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], environment: [String: String?] = [:]) throws -> String {
        try ChildProcess.run(program, arguments, environment: environment).check().output
    }

    /// The `orchard` executable built beside the test bundle.
    static var orchardBinary: String {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/orchard"
        if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
        return packageRoot + "/.build/debug/orchard"
    }

    /// Rows of every part of a dataset, sorted by path.
    static func rows(of dataset: String) async throws -> [FeatureRow] {
        var rows: [FeatureRow] = []
        try await FeatureDataset(root: .local(path: dataset), stores: StoreResolver()).forEachPart { _, part in
            rows += part
        }
        return rows.sorted { $0.path < $1.path }
    }

    /// A local featurize job over `input` into `output`.
    static func job(_ input: String, _ output: String, pca: Int? = nil, imagesPerPart: Int = 1000) -> FeaturizeJob {
        FeaturizeJob(
            input: .local(path: input), output: .local(path: output), modelPath: model,
            pca: pca.map { .count($0) }, threads: 2, imagesPerPart: imagesPerPart)
    }
}

/// A test failure with a message.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension TestSupport {
    /// Runs a script that starts or stops a daemon, with its output sent to /dev/null, and waits for the
    /// script alone: pipes would stay open as long as the daemon lives.
    static func runDaemonScript(_ arguments: [String]) throws {
        let status = try ChildProcess.runDetached(arguments[0], Array(arguments.dropFirst()))
        guard status == 0 else { throw TestFailure("\(arguments) exited with status \(status)") }
    }
}
