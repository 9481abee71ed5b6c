import Foundation
import Testing

@testable import MobileNet

/// `--backend auto` (the default): the network is timed on every backend and runs on the faster one.
@Suite struct BackendTrialTests {
    @Test func automaticRunsOnTheFasterBackendAndComputesWhatItComputes() throws {
        let weights = try WeightFile.load(path: KerasFixtures.path("mobilenet_v2_0.35_224.h5"))
        let model = try MobileNetV2(weights: weights, backend: .automatic)
        let times = try #require(model.trialSecondsPerImage)
        #expect(Set(times.keys) == Set(InferenceBackend.allCases))
        #expect(times.values.allSatisfy { $0 > 0 && $0.isFinite })
        #expect(InferenceBackend.allCases.contains(model.backend))
        #expect(times[model.backend] == times.values.min(), "kept \(model.backend) of \(times)")
        #expect(model.backendDescription.hasPrefix("\(model.backend) (timed: xnnpack "))
        print("backend trial: \(model.backendDescription)")

        // The kept runtime is that backend's network: the same outputs, bit for bit.
        let images = try KerasFixtures.images()
        let chosen = try MobileNetV2(weights: weights, backend: model.backend)
        #expect(chosen.trialSecondsPerImage == nil && chosen.backendDescription == model.backend.rawValue)
        let automatic = try KerasFixtures.run(model, images), direct = try KerasFixtures.run(chosen, images)
        #expect(automatic.map(\.features) == direct.map(\.features))
        #expect(automatic.map(\.probabilities) == direct.map(\.probabilities))
    }

    @Test func theDefaultIsAutomaticAndAutoIsNoComputingBackend() {
        #expect(InferenceBackend.preferred == .automatic)
        #expect(!InferenceBackend.allCases.contains(.automatic))
        #expect(InferenceBackend(rawValue: "auto") == .automatic)
    }
}
