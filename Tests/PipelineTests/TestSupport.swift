import Foundation
import OrchardTestKit
@testable import Pipeline

/// Paths and small helpers shared by the pipeline tests.
enum TestSupport {
    static let packageRoot = TestPaths.packageRoot
    static let shared = TestPaths.shared
    /// The real ImageNet MobileNetV2 (TFLite, int8 weights).
    static let model = TestPaths.realModel
    static let samples = TestPaths.samples

    static func temporaryFolder(_ name: String) throws -> String { try TestPaths.temporaryFolder(name) }

    static func sampleFolder(classes: [String], perClass: Int, split: String = "Test") throws -> String {
        try TestPaths.sampleFolder(classes: classes, perClass: perClass, split: split)
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

    static var orchardBinary: String { TestPaths.orchardBinary }

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
