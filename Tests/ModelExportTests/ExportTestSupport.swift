import Foundation
import MobileNet
import OrchardTestKit

@testable import ModelExport

/// What the export tests share: the real model and photos in ../shared, seeded heads, python3.
enum ExportTestSupport {
    /// ../shared beside the repository (Tests/ModelExportTests/<file> → repository → its parent).
    static let shared = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    /// The dynamic-range int8 Keras MobileNetV2 1.0 described in ../shared/README.md.
    static let realModel = shared.appendingPathComponent("models/mobilenet_v2_1.0_224_imagenet_dynamic_int8.tflite")

    /// Its weights, dequantised by Orchard's loader, loaded once.
    static let realWeights: Result<MobileNetV2Weights, any Error> = Result { try WeightFile.load(path: realModel.path) }

    /// The 13 fruit classes of the sample's Test split, sorted.
    static let fruitClasses = ["Apple 10", "Apple 11", "Apple 12", "Apple Golden 1", "Banana 1", "Grape White 1", "Kiwi 1",
                               "Lemon 1", "Mango 1", "Orange 1", "Pineapple 1", "Strawberry 1", "Tomato 1"]

    /// A head of uniform random weights in ±`scale` and biases in ±1, the same for the same `seed`.
    static func randomHead(labels: [String], featureCount: Int = 1280, scale: Float, seed: UInt64) throws -> AffineHead {
        var random = SplitMix64(seed: seed)
        let weights = (0..<(featureCount * labels.count)).map { _ in Float.random(in: -scale...scale, using: &random) }
        let bias = labels.map { _ in Float.random(in: -1...1, using: &random) }
        return try AffineHead(labels: labels, weights: weights, bias: bias, featureCount: featureCount)
    }

    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("orchard-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `script` with python3 (numpy single-threaded, TensorFlow logging off) and returns its stdout.
    static func python(_ script: String, _ arguments: [String]) throws -> Data {
        Data(try ChildProcess.python(script, arguments, environment: ["OPENBLAS_NUM_THREADS": "1", "TF_CPP_MIN_LOG_LEVEL": "3"]).utf8)
    }
}
