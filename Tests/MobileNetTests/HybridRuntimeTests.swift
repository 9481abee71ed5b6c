import OrchardTestKit
import Testing

@testable import MobileNet

/// The hybrid backend's own loop (bands of rows, lanes per thread) against XNNPACK's whole-graph runtime on
/// the same weights, where the Keras fixtures do not reach: the two differ only in float32 summation order
/// (the depthwise taps), so within the Keras parity bound.
@Suite struct HybridRuntimeTests {
    static let tolerance = KerasParityTests.featureTolerance

    static func compare(inputSize: Int, threads: Int) throws -> Float {
        let weights = try WeightFile.load(path: KerasFixtures.path("mobilenet_v2_0.35_224.h5"))
        let hybrid = try MobileNetV2(weights: weights, inputSize: inputSize, threads: threads, backend: .hybrid)
        let xnnpack = try MobileNetV2(weights: weights, inputSize: inputSize, threads: 1, backend: .xnnpack)
        var random = SplitMix64(seed: UInt64(inputSize))
        let images = (0..<2).map { _ in (0..<(inputSize * inputSize * 3)).map { _ in Float.random(in: -1...1, using: &random) } }
        let a = try KerasFixtures.run(hybrid, images), b = try KerasFixtures.run(xnnpack, images)
        return max(KerasFixtures.maxDifference(a.map(\.features), b.map(\.features)),
                   KerasFixtures.maxDifference(a.compactMap(\.probabilities), b.compactMap(\.probabilities)))
    }

    /// At 32 and 33 the last stride-2 block sees a 2×2 input: no column has all three taps inside it.
    @Test(arguments: [32, 33, 47, 64])
    func smallInputsMatchXNNPACK(inputSize: Int) throws {
        let difference = try Self.compare(inputSize: inputSize, threads: 1)
        print("hybrid vs xnnpack at \(inputSize)×\(inputSize): max |Δ| \(difference)")
        #expect(difference <= Self.tolerance)
    }

    /// Three lanes split 112, 56, 28, 14 and 7 output rows unevenly.
    @Test func threeLanesMatchXNNPACK() throws {
        #expect(try Self.compare(inputSize: 224, threads: 3) <= Self.tolerance)
    }

    /// Both kernels for the 1×1 layers, on any CPU (each machine's own choice is `DenseLayers.forThisCPU`),
    /// against Keras's features and probabilities; two lanes share Orchard's packed weights and split the head.
    @Test(arguments: [HybridRuntime.DenseLayers.orchard, .xnnpack], [1, 2])
    func eitherDenseKernelMatchesKeras(dense: HybridRuntime.DenseLayers, threads: Int) throws {
        let file = "mobilenet_v2_0.35_224.h5"
        let weights = try WeightFile.load(path: KerasFixtures.path(file))
        let runtime = try HybridRuntime(try MobileNetV2Architecture(alpha: weights.alpha), weights, inputSize: 224,
                                        threads: threads, dense: dense)
        let outputs = try KerasFixtures.images().map { image in
            try image.withUnsafeBufferPointer { try runtime.run(input: $0.baseAddress!) }
        }
        let features = KerasFixtures.maxDifference(outputs.map(\.features), try KerasFixtures.rows(file + ".features.f32"))
        let probabilities = KerasFixtures.maxDifference(outputs.compactMap(\.probabilities),
                                                        try KerasFixtures.rows("mobilenet_v2_0.35_224.probabilities.f32"))
        print("hybrid, \(dense) 1×1 layers, \(threads) lanes: max |Δ| vs Keras features \(features), probabilities \(probabilities)")
        #expect(features <= Self.tolerance)
        #expect(probabilities <= 1e-6)
        #expect(Set(outputs.flatMap(\.features)).count > 1000)
    }
}
