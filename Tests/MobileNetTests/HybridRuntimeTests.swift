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
}
