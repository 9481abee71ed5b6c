import Foundation
import OrchardTestKit
import Testing

@testable import MobileNet

/// `--backend auto` (the default): the backend measured faster on CPUs like this one, the same in every process.
@Suite struct AutomaticBackendTests {
    @Test func autoIsHybridWithAVX512AndOneDNNWithout() throws {
        let avx512 = CPUFlags.current.contains("avx512f")
        // ORCHARD_KERNELS_ISA caps Orchard's kernels at a lower rung; auto then chooses as that CPU variant would.
        let capped = ["avx2", "scalar"].contains(ProcessInfo.processInfo.environment["ORCHARD_KERNELS_ISA"] ?? "")
        #expect(InferenceBackend.forThisCPU == (avx512 && !capped ? .hybrid : .onednn))
        #expect(InferenceBackend.preferred == .automatic && InferenceBackend.automatic.resolved == InferenceBackend.forThisCPU)
        #expect(!InferenceBackend.allCases.contains(.automatic))
        #expect(InferenceBackend(rawValue: "auto") == .automatic)
    }

    @Test func autoComputesExactlyWhatItsBackendComputes() throws {
        let weights = try WeightFile.load(path: KerasFixtures.path("mobilenet_v2_0.35_224.h5"))
        let automatic = try MobileNetV2(weights: weights, backend: .automatic)
        let direct = try MobileNetV2(weights: weights, backend: InferenceBackend.forThisCPU)
        #expect(automatic.backend == InferenceBackend.forThisCPU)
        #expect(automatic.backendDescription.hasPrefix("\(InferenceBackend.forThisCPU) (auto: Orchard's kernels run "))
        #expect(direct.backendDescription == InferenceBackend.forThisCPU.rawValue)
        let images = try KerasFixtures.images()
        let a = try KerasFixtures.run(automatic, images), b = try KerasFixtures.run(direct, images)
        #expect(a.map(\.features) == b.map(\.features))
        #expect(a.map(\.probabilities) == b.map(\.probabilities))
    }
}
