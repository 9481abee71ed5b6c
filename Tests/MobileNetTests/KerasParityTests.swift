import Foundation
import Testing

@testable import MobileNet

/// Orchard's network, on every backend, on weights loaded from Keras .h5 files against Keras's own outputs
/// for the same images (fixtures: random weights, non-trivial BatchNorm statistics).
@Suite struct KerasParityTests {
    /// Pooled features may differ from Keras by float32 summation order only.
    static let featureTolerance: Float = 1e-4

    @Test(arguments: [
        ("mobilenet_v2_0.35_224_no_top.h5", 0.35),
        ("mobilenet_v2_0.35_224_no_top.weights.h5", 0.35),
        ("mobilenet_v2_0.5_224_no_top.h5", 0.5),
        ("mobilenet_v2_0.35_224.h5", 0.35),
    ], InferenceBackend.allCases)
    func featuresMatchKeras(fixture: (file: String, alpha: Double), backend: InferenceBackend) throws {
        let (file, alpha) = fixture
        let weights = try WeightFile.load(path: KerasFixtures.path(file))
        #expect(weights.alpha == alpha)
        let model = try MobileNetV2(weights: weights, backend: backend)
        #expect(model.featureCount == 1280)
        let outputs = try KerasFixtures.run(model, try KerasFixtures.images())
        let expected = try KerasFixtures.rows(file + ".features.f32")
        let difference = KerasFixtures.maxDifference(outputs.map(\.features), expected)
        print("max |Δ| pooled features vs Keras, \(file), \(backend): \(difference)")
        #expect(difference <= Self.featureTolerance)
        // Random weights that leave every feature at 0 or 6 would make the comparison vacuous.
        let distinct = Set(outputs.flatMap(\.features)).count
        #expect(distinct > 1000)
    }

    @Test(arguments: InferenceBackend.allCases)
    func probabilitiesMatchKeras(backend: InferenceBackend) throws {
        let file = "mobilenet_v2_0.35_224.h5"
        let model = try MobileNetV2(weights: try WeightFile.load(path: KerasFixtures.path(file)), backend: backend)
        #expect(model.hasClassifier)
        let outputs = try KerasFixtures.run(model, try KerasFixtures.images())
        let probabilities = outputs.compactMap(\.probabilities)
        #expect(probabilities.count == 4 && probabilities.allSatisfy { $0.count == 1000 })
        let expected = try KerasFixtures.rows("mobilenet_v2_0.35_224.probabilities.f32")
        let difference = KerasFixtures.maxDifference(probabilities, expected)
        print("max |Δ| probabilities vs Keras, \(backend): \(difference)")
        // Probabilities are ~1e-3 each with these weights: 1e-6 is 0.1 % of a typical one.
        #expect(difference <= 1e-6)
        for output in outputs {
            let logits = try #require(output.logits)
            let sum = output.probabilities?.reduce(0, +) ?? 0
            #expect(abs(sum - 1) < 1e-4)
            #expect(logits.indices.max { logits[$0] < logits[$1] } == output.probabilities?.indices.max {
                output.probabilities![$0] < output.probabilities![$1]
            })
        }
    }

    @Test(arguments: InferenceBackend.allCases)
    func noTopFileHasNoClassifier(backend: InferenceBackend) throws {
        let model = try MobileNetV2(weights: try WeightFile.load(path: KerasFixtures.path("mobilenet_v2_0.35_224_no_top.h5")),
                                    backend: backend)
        #expect(!model.hasClassifier)
        let output = try KerasFixtures.run(model, [try KerasFixtures.images()[0]])[0]
        #expect(output.probabilities == nil && output.logits == nil)
    }

    @Test func keras3AndLegacyFilesHoldTheSameWeights() throws {
        let legacy = try WeightFile.load(path: KerasFixtures.path("mobilenet_v2_0.35_224_no_top.h5"))
        let keras3 = try WeightFile.load(path: KerasFixtures.path("mobilenet_v2_0.35_224_no_top.weights.h5"))
        #expect(legacy == keras3)
        #expect(legacy.classifier == nil)
    }

    @Test(arguments: InferenceBackend.allCases)
    func oddInputSizeMatchesKeras(backend: InferenceBackend) throws {
        // 97 is odd at every stride-2 layer but the last, where Keras pads the top/left as well.
        let weights = try WeightFile.load(path: KerasFixtures.path("mobilenet_v2_0.35_224_no_top.h5"))
        let model = try MobileNetV2(weights: weights, inputSize: 97, backend: backend)
        let outputs = try KerasFixtures.run(model, try KerasFixtures.images(size: 97))
        let expected = try KerasFixtures.rows("mobilenet_v2_0.35_97_no_top.features.f32")
        let difference = KerasFixtures.maxDifference(outputs.map(\.features), expected)
        print("max |Δ| pooled features vs Keras at 97×97, \(backend): \(difference)")
        #expect(difference <= Self.featureTolerance)
    }

    @Test(arguments: InferenceBackend.allCases)
    func twoThreadsGiveTheSameFeatures(backend: InferenceBackend) throws {
        let weights = try WeightFile.load(path: KerasFixtures.path("mobilenet_v2_0.5_224_no_top.h5"))
        let images = try KerasFixtures.images()
        let one = try KerasFixtures.run(try MobileNetV2(weights: weights, threads: 1, backend: backend), images)
        let two = try MobileNetV2(weights: weights, threads: 2, backend: backend)
        // Run twice on the same runtime: it is built once and reused.
        let first = try KerasFixtures.run(two, images)
        let second = try KerasFixtures.run(two, images)
        #expect(KerasFixtures.maxDifference(one.map(\.features), first.map(\.features)) <= 1e-5)
        #expect(first.map(\.features) == second.map(\.features))
    }
}
