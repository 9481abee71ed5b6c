import Testing

@testable import MobileNet

/// Widths and parameter counts against keras.applications.MobileNetV2 (Keras 3.15, include_top=False).
@Suite struct ArchitectureTests {
    /// Conv1 filters, each block's projection filters, Conv_1 filters and count_params(), from Keras.
    static let keras: [(alpha: Double, stem: Int, projections: [Int], head: Int, parameters: Int)] = [
        (0.35, 16, [8, 8, 8, 16, 16, 16, 24, 24, 24, 24, 32, 32, 32, 56, 56, 56, 112], 1280, 410_208),
        (0.5, 16, [8, 16, 16, 16, 16, 16, 32, 32, 32, 32, 48, 48, 48, 80, 80, 80, 160], 1280, 706_224),
        (0.75, 24, [16, 24, 24, 24, 24, 24, 48, 48, 48, 48, 72, 72, 72, 120, 120, 120, 240], 1280, 1_382_064),
        (1.0, 32, [16, 24, 24, 32, 32, 32, 64, 64, 64, 64, 96, 96, 96, 160, 160, 160, 320], 1280, 2_257_984),
        (1.3, 40, [24, 32, 32, 40, 40, 40, 80, 80, 80, 80, 128, 128, 128, 208, 208, 208, 416], 1664, 3_766_048),
        (1.4, 48, [24, 32, 32, 48, 48, 48, 88, 88, 88, 88, 136, 136, 136, 224, 224, 224, 448], 1792, 4_363_712),
    ]

    @Test(arguments: 0..<6) func widthsMatchKeras(row: Int) throws {
        let expected = Self.keras[row]
        let architecture = try MobileNetV2Architecture(alpha: expected.alpha)
        #expect(architecture.stemChannels == expected.stem)
        #expect(architecture.blocks.map(\.outputChannels) == expected.projections)
        #expect(architecture.headChannels == expected.head)
        // Every kernel plus gamma, beta, moving mean and moving variance of each BatchNorm.
        let parameters = architecture.convolutions.reduce(0) {
            $0 + $1.kernelShape.reduce(1, *) + 4 * $1.outputChannels
        }
        #expect(parameters == expected.parameters)
    }

    @Test func tableTwoShapesTheBlocks() throws {
        let architecture = try MobileNetV2Architecture(alpha: 1.0)
        #expect(architecture.blocks.count == 17)
        #expect(architecture.blocks.map(\.stride) == [1, 2, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1])
        #expect(architecture.blocks.filter(\.hasResidual).map(\.index) == [2, 4, 5, 7, 8, 9, 11, 12, 14, 15])
        #expect(!architecture.blocks[0].hasExpansion && architecture.blocks[1].expandedChannels == 96)
        #expect(architecture.blocks[0].kerasPrefix == "expanded_conv_" && architecture.blocks[5].kerasPrefix == "block_5_")
    }

    @Test func makeDivisibleRoundsLikeKeras() {
        // _make_divisible(11.2) = 16: rounding to 8 would lose more than 10 %.
        #expect(MobileNetV2Architecture.makeDivisible(32 * 0.35) == 16)
        #expect(MobileNetV2Architecture.makeDivisible(5) == 8)
        #expect(MobileNetV2Architecture.makeDivisible(1280 * 1.3) == 1664)
        #expect(MobileNetV2Architecture.makeDivisible(12) == 16)
    }

    @Test func kerasPaddingForEvenAndOddSizes() {
        #expect(MobileNetV2Architecture.padding(224, stride: 2) == (0, 1))
        #expect(MobileNetV2Architecture.padding(7, stride: 2) == (1, 1))
        #expect(MobileNetV2Architecture.padding(7, stride: 1) == (1, 1))
        #expect(MobileNetV2Architecture.outputSize(97, stride: 2) == 49)
    }

    @Test func unsupportedAlphaIsRejected() {
        #expect(throws: ModelError.self) { try MobileNetV2Architecture(alpha: 0.6) }
    }
}

/// Keras 3 files without a `name` attribute on `vars` are matched by layer class and order.
@Suite struct Keras3NamingTests {
    @Test func classOrderAgreesWithTheNameAttributes() throws {
        // The fixture has both: `layers/<class>_<n>` groups and `vars` groups naming the Keras layer.
        let path = KerasFixtures.path("mobilenet_v2_0.35_224_no_top.weights.h5")
        let (byOrder, byAttribute) = try hdf5Lock.withLock { _ in
            let file = try HDF5File(path: path)
            let children = file.children(of: "layers")
            var named: [String: String] = [:]
            for child in children {
                if let name = try file.strings(attribute: "name", of: "layers/\(child)/vars")?.first { named[name] = child }
            }
            return (Dictionary(uniqueKeysWithValues: Keras3Layout.matchByClassOrder(children)), named)
        }
        #expect(byOrder.count == 35 + 17 + 52)
        for (layer, child) in byOrder { #expect(byAttribute[layer] == child, "\(layer)") }
        #expect(byOrder["Conv_1"] == "conv2d_34" && byOrder["Conv_1_bn"] == "batch_normalization_51")
    }
}
