import Foundation
import OrchardTestKit
import Testing

@testable import MobileNet

/// Paths and peers the TFLite tests share: the real model in ../shared, fixtures, and python3.
enum TFLiteTestSupport {
    /// The repository root, found from this file's path (Tests/MobileNetTests/<file>).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// ../shared beside the repository: read-only data and the real model.
    static let shared = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// The dynamic-range int8 Keras MobileNetV2 1.0 from /work/shared/README.md.
    static let realModel = shared.appendingPathComponent("models/mobilenet_v2_1.0_224_imagenet_dynamic_int8.tflite")

    /// The real model's bytes (3.5 MB), read once.
    static let realModelBytes: [UInt8] = {
        (try? Data(contentsOf: realModel)).map { [UInt8]($0) } ?? []
    }()

    /// The real model's weights, loaded once for the tests that only read them.
    static let realWeights: Result<MobileNetV2Weights, any Error> = Result {
        try TFLiteWeightLoader.load(bytes: realModelBytes, name: realModel.lastPathComponent)
    }

    /// A committed fixture in Tests/MobileNetTests/Resources.
    static func fixture(_ name: String) throws -> URL {
        let url = repositoryRoot.appendingPathComponent("Tests/MobileNetTests/Resources/\(name)")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: url.path])
        }
        return url
    }

    /// Runs `script` with python3 and returns its standard output; a non-zero exit fails with stderr.
    static func python(_ script: String, arguments: [String] = []) throws -> Data {
        let result = try ChildProcess.run(
            "python3", ["-c", script] + arguments, environment: ["OPENBLAS_NUM_THREADS": "1", "TF_CPP_MIN_LOG_LEVEL": "3"])
        guard result.status == 0 else {
            throw PythonFailure(status: result.status, stderr: String(result.errors.suffix(2000)))
        }
        return result.stdout
    }

    struct PythonFailure: Error, CustomStringConvertible {
        let status: Int32
        let stderr: String
        var description: String { "python3 exited with \(status): \(stderr)" }
    }
}
