import Foundation

@testable import Pipeline

/// A synthetic run: 13 fruit classes, clustered PCA coordinates, a decaying spectrum, failures
/// with hostile names — the shape of a real `orchard featurize` run on the Fruits-360 sample.
enum ReportTestData {
    static let classes = [
        "Apple 10", "Apple 11", "Apple 12", "Apple Golden 1", "Banana 1", "Grape White 1", "Kiwi 1", "Lemon 1",
        "Mango 1", "Orange 1", "Pineapple 1", "Strawberry 1", "Tomato 1",
    ]

    static func run(points: Int = 4000) -> RunReportData {
        var state: UInt64 = 99
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Double(state >> 11) + 0.5) / Double(1 << 53)
        }
        func gaussian() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }

        let centres = classes.indices.map { i in
            (x: 9 * cos(Double(i) * 0.9) + 2 * gaussian(), y: 6 * sin(Double(i) * 1.3) + 2 * gaussian())
        }
        let scatter = (0..<points).map { i -> RunReportData.ScatterPoint in
            let c = i % classes.count
            return .init(
                x: Float(centres[c].x + 1.4 * gaussian()), y: Float(centres[c].y + 1.1 * gaussian()), label: classes[c])
        }
        var spectrum = (0..<100).map { 0.14 * pow(0.94, Double($0)) }
        let scale = 0.985 / spectrum.reduce(0, +)
        spectrum = spectrum.map { $0 * scale }
        var perLabel: [String: Int] = [:]
        for (i, name) in classes.enumerated() { perLabel[name] = 450 + 37 * ((i * 7) % 13) }
        let failures = (0..<63).map { i in
            RunReportData.Failure(
                path: i == 0 ? "data/<script>alert('x')</script>.jpg" : "data/Training/Kiwi 1/r_\(i)_100.jpg",
                reason: i % 3 == 0 ? "corrupt JPEG data: premature end of data segment" : "not an image (unknown signature)")
        }
        return RunReportData(
            title: "Fruits-360 sample — MobileNetV2 features", input: "../shared/data/fruits-360-sample",
            output: "s3://orchard-bucket/features/run-42", model: "mobilenet_v2_1.0_224_imagenet_dynamic_int8.tflite",
            engine: "local", createdAt: Date(timeIntervalSince1970: 1_795_000_000), imageCount: 8880, failureCount: 63,
            failuresByReason: ["corrupt JPEG data": 21, "not an image": 42], failures: failures, imagesPerLabel: perLabel,
            seconds: 31.7, imagesPerSecond: 280.1, featureDimension: 1280, explainedVarianceRatio: spectrum,
            scatter: scatter)
    }
}
