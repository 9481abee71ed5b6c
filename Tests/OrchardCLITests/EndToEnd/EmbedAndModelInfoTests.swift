import Foundation
import OrchardTestKit
import Testing

/// `orchard embed` and `orchard model info` run on the real ImageNet model and committed Keras fixtures.
@Suite struct EndToEndEmbedTests {
    /// The first banana photo of the test split.
    static func bananaPhoto() throws -> String {
        let folder = EndToEnd.samples + "/Test/Banana 1"
        let first = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".jpg") }.min())
        return folder + "/" + first
    }

    @Test func embedPrintsFeaturesAndTop5WithBananaForABananaPhoto() throws {
        let photo = try Self.bananaPhoto()
        let run = try EndToEnd.orchard(["embed", "--model", EndToEnd.realModel, photo], timeout: .seconds(120)).check()
        let lines = run.output.split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.hasPrefix(photo + ":") }, "no line for the photo in:\n\(run.output)")
        #expect(header.contains(": 1280 features ["), "\(header)")

        // "  1. banana (954) 80.4%" … exactly five ranks, in order, with falling probabilities.
        let ranked = lines.filter { $0.range(of: #"^  [0-9]+\. .+ \([0-9]+\) [0-9.]+%$"#, options: .regularExpression) != nil }
        #expect(ranked.count == 5, "top-5 lines:\n\(run.output)")
        #expect(ranked.enumerated().allSatisfy { $0.element.hasPrefix("  \($0.offset + 1). ") })
        let percents = ranked.compactMap { Double($0.split(separator: " ").last!.dropLast()) }
        #expect(percents == percents.sorted(by: >), "probabilities not falling: \(percents)")
        let classes = ranked.map { $0.lowercased() }
        #expect(classes.contains { $0.contains(". banana (954)") }, "banana (ImageNet 954) not in the top 5:\n\(run.output)")
    }

    @Test func embedWithoutATopPrintsFeaturesOnly() throws {
        let photo = try Self.bananaPhoto()
        let run = try EndToEnd.orchard(
            ["embed", "--model", EndToEnd.kerasFixtures + "/mobilenet_v2_0.35_224_no_top.h5", "--values", "3", photo]
        ).check()
        let header = try #require(run.output.split(separator: "\n").first.map(String.init))
        // alpha 0.35 keeps 1280 features (Keras does not scale the last convolution below alpha 1).
        #expect(header.hasPrefix(photo + ": 1280 features ["), "\(header)")
        #expect(header.split(separator: ",").count == 4, "--values 3 should print 3 values then …: \(header)")
        #expect(!run.output.contains("  1. "), "a model without a top printed classes:\n\(run.output)")
    }

    /// What `--backend auto` runs follows the instruction set of Orchard's kernels, so capping them at AVX2 runs
    /// the AVX2-only variant's choice (how bench/ measures that variant on an AVX-512 CPU).
    @Test func autoRunsOneDNNWhenOrchardsKernelsAreCappedAtAVX2() throws {
        let photo = try Self.bananaPhoto()
        let fixture = EndToEnd.kerasFixtures + "/mobilenet_v2_0.35_224_no_top.h5"
        let capped = try EndToEnd.orchard(["embed", "--model", fixture, "--values", "1", photo],
                                          environment: ["ORCHARD_KERNELS_ISA": "avx2"]).check()
        #expect(capped.errors.contains("network: onednn (auto: Orchard's kernels run avx2)"), "\(capped.errors)")
        let native = try EndToEnd.orchard(["embed", "--model", fixture, "--values", "1", photo],
                                          environment: ["ORCHARD_KERNELS_ISA": nil]).check()
        let avx512 = CPUFlags.current.isSuperset(of: ["avx512f", "fma"])
        #expect(native.errors.contains(avx512 ? "network: hybrid (auto: Orchard's kernels run avx512f)" : "network: onednn (auto:"),
                "\(native.errors)")
    }

    @Test func embedFailsOnAnUnreadableImage() throws {
        let folder = try EndToEnd.temporaryFolder("embed-bad")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bad = folder + "/broken.jpg"
        try Data("not a jpeg".utf8).write(to: URL(fileURLWithPath: bad))
        let run = try EndToEnd.orchard(["embed", "--model", EndToEnd.realModel, bad])
        #expect(run.status == 1)
        #expect(run.output.contains("\(bad): error:"), "\(run.output)")
    }
}

@Suite struct EndToEndModelInfoTests {
    static func fileSize(_ path: String) throws -> Int {
        try #require((try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue)
    }

    @Test func infoOnTheRealTFLiteModel() throws {
        let run = try EndToEnd.orchard(["model", "info", EndToEnd.realModel]).check()
        let text = run.output
        #expect(text.contains("file: \(EndToEnd.realModel) (\(try Self.fileSize(EndToEnd.realModel)) bytes)"), "\(text)")
        #expect(text.contains("network: MobileNetV2, alpha 1.0, 17 inverted-residual blocks"), "\(text)")
        #expect(text.contains("features: 1280"), "\(text)")
        #expect(text.contains("classifier: yes, 1000 ImageNet classes"), "\(text)")
        // Keras's summary of MobileNetV2(alpha=1.0) says 3,538,984 parameters, 34,112 of them BatchNorm
        // moving statistics (2 per channel, so 17,056 channels); folding BatchNorm keeps 1 of its 4 per channel.
        #expect(text.contains("parameters: \(3_538_984 - 3 * 17_056) "), "\(text)")
    }

    @Test(arguments: [
        ("mobilenet_v2_0.35_224_no_top.h5", "alpha 0.35", "classifier: no"),
        ("mobilenet_v2_0.35_224.h5", "alpha 0.35", "classifier: yes, 1000 ImageNet classes"),
        ("mobilenet_v2_0.5_224_no_top.h5", "alpha 0.5", "classifier: no"),
        ("mobilenet_v2_0.35_224_no_top.weights.h5", "alpha 0.35", "classifier: no"),
    ])
    func infoOnKerasFixtures(file: String, alpha: String, classifier: String) throws {
        let path = EndToEnd.kerasFixtures + "/" + file
        let run = try EndToEnd.orchard(["model", "info", path]).check()
        #expect(run.output.contains("file: \(path) (\(try Self.fileSize(path)) bytes)"), "\(run.output)")
        #expect(run.output.contains("network: MobileNetV2, \(alpha), 17 inverted-residual blocks"), "\(run.output)")
        #expect(run.output.contains(classifier), "\(run.output)")
    }

    @Test func infoRefusesAFileThatIsNotMobileNetV2() throws {
        let path = EndToEnd.kerasFixtures + "/not_mobilenet_v2.h5"
        let run = try EndToEnd.orchard(["model", "info", path])
        #expect(run.status != 0)
        #expect(run.output.isEmpty, "printed a summary for a non-MobileNetV2 file:\n\(run.output)")
        #expect(run.errors.contains("Error"), "\(run.errors)")
    }
}
