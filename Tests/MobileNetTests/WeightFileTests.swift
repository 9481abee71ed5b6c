import Foundation
import Testing

@testable import MobileNet

/// `WeightFile` recognises each format by its first bytes and hands it to the right loader.
@Suite struct WeightFileTests {
    /// ../shared/models: the real Keras ImageNet MobileNetV2 1.0 converted to TFLite (int8 weights).
    static let realModel = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/models/mobilenet_v2_1.0_224_imagenet_dynamic_int8.tflite").path

    @Test func tfliteFileGoesToTheTFLiteLoader() throws {
        let weights = try WeightFile.load(path: Self.realModel)
        #expect(weights.alpha == 1.0)
        let model = try MobileNetV2(weights: weights, threads: 2)
        #expect(model.featureCount == 1280 && model.hasClassifier)
        // The real ImageNet weights recognise the fixture banana (ImageNet class 954, "banana").
        let banana = try KerasFixtures.images()[1]
        let output = try banana.withUnsafeBufferPointer { try model.run(input: $0) }
        let probabilities = try #require(output.probabilities)
        #expect(probabilities.indices.max { probabilities[$0] < probabilities[$1] } == 954)
    }

    @Test func hdf5FileGoesToTheKerasLoader() throws {
        let weights = try WeightFile.load(path: KerasFixtures.path("mobilenet_v2_0.5_224_no_top.h5"))
        #expect(weights.alpha == 0.5 && weights.classifier == nil && weights.blocks.count == 17)
    }
}
