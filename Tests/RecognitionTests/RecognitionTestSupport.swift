import Foundation
import OrchardTestKit
import Recognition

/// Paths, synthetic data and small helpers shared by the recognition tests.
enum RecognitionTestSupport {
    /// The package root (tests live two levels below it).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    /// The read-only shared folder beside the repository.
    static let shared = ProcessInfo.processInfo.environment["ORCHARD_SHARED"] ?? packageRoot + "/../shared"
    /// The real ImageNet MobileNetV2 (TFLite, int8 weights).
    static let model = shared + "/models/mobilenet_v2_1.0_224_imagenet_dynamic_int8.tflite"
    /// The sample photos.
    static let samples = shared + "/data/fruits-360-sample"

    /// The `orchard` executable built beside the test bundle (or in .build/debug).
    static var orchardBinary: String {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/orchard"
        if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
        return packageRoot + "/.build/debug/orchard"
    }

    /// Runs the orchard binary; the result is returned whatever its status.
    /// (A wide COLUMNS keeps help text from wrapping inside the phrases tests look for.)
    static func orchard(_ arguments: [String]) throws -> ChildProcess.Completed {
        try ChildProcess.run(orchardBinary, arguments, environment: ["COLUMNS": "200"])
    }

    /// A new empty temporary folder.
    static func temporaryFolder(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "orchard-recognition-\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// `classes` blobs of `rows` points in `dimension` features, deterministic: class means one standard
    /// deviation apart on average (so the classes overlap and probabilities are not all 0 or 1), and each
    /// feature shifted and scaled differently (so standardisation matters).
    static func blobs(rows: Int, dimension: Int, classes: Int, seed: UInt64 = 42) -> LabeledFeatures {
        var generator = SplitMix64(seed: seed)
        let centres = (0..<classes).map { _ in (0..<dimension).map { _ in generator.normal() } }
        var data = LabeledFeatures()
        for r in 0..<rows {
            let k = Int(generator.next() % UInt64(classes))
            let features = (0..<dimension).map { j in Float((centres[k][j] + 1.5 * generator.normal()) * Double(j + 1) + 3 * Double(j)) }
            try! data.add(label: "class \(k)", features: features, error: nil, source: "row \(r)")
        }
        return data
    }

    /// `data` as CSV: label, then the features (Float's shortest round-trip text, so python reads the same values).
    static func csv(_ data: LabeledFeatures) -> String {
        (0..<data.count).map { r in
            ([data.labels[r]] + data.features(at: r).map { "\($0)" }).joined(separator: ",")
        }.joined(separator: "\n") + "\n"
    }
}

/// A small, seedable generator (SplitMix64), so synthetic data are the same on every run and machine.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / Double(1 << 53) }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
}
