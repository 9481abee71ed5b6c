/// The shape every weight must have, so a loader's output is checked against the architecture.
extension MobileNetV2Architecture {
    /// One convolution the network needs: its Keras conv and BatchNorm layer names and kernel shape.
    struct ConvolutionSpec: Sendable, Equatable {
        /// Keras convolution layer, e.g. `block_3_expand`.
        let layer: String
        /// Keras BatchNormalization layer folded into it, e.g. `block_3_expand_BN`.
        let batchNorm: String
        /// Kernel shape in Keras layout (HWIO; depthwise `[3, 3, C, 1]`).
        let kernelShape: [Int]
        /// Output channels: the folded bias length.
        var outputChannels: Int { depthwise ? kernelShape[2] : kernelShape[3] }
        /// Whether it is a depthwise convolution (`[KH, KW, C, 1]`).
        let depthwise: Bool
    }

    /// Every convolution in network order: stem, each block's expand/depthwise/project, head.
    var convolutions: [ConvolutionSpec] {
        var specs = [ConvolutionSpec(layer: "Conv1", batchNorm: "bn_Conv1", kernelShape: [3, 3, 3, stemChannels],
                                     depthwise: false)]
        for block in blocks {
            let p = block.kerasPrefix
            let shapes = block.kernelShapes
            if let expand = shapes.expand {
                specs.append(ConvolutionSpec(layer: p + "expand", batchNorm: p + "expand_BN", kernelShape: expand,
                                             depthwise: false))
            }
            specs.append(ConvolutionSpec(layer: p + "depthwise", batchNorm: p + "depthwise_BN",
                                         kernelShape: shapes.depthwise, depthwise: true))
            specs.append(ConvolutionSpec(layer: p + "project", batchNorm: p + "project_BN", kernelShape: shapes.project,
                                         depthwise: false))
        }
        specs.append(ConvolutionSpec(layer: "Conv_1", batchNorm: "Conv_1_bn",
                                     kernelShape: [1, 1, blocks.last?.outputChannels ?? 0, headChannels],
                                     depthwise: false))
        return specs
    }

    /// Throws `.wrongShape` naming the first layer of `weights` whose shape differs from this architecture's.
    public func check(_ weights: MobileNetV2Weights) throws(ModelError) {
        guard weights.blocks.count == blocks.count else {
            throw .notMobileNetV2(source: "weights", reason: "\(weights.blocks.count) blocks, expected \(blocks.count)")
        }
        var folded: [(String, FoldedConvolution?)] = [("Conv1", weights.stem)]
        for (block, w) in zip(blocks, weights.blocks) {
            let p = block.kerasPrefix
            if block.hasExpansion || w.expand != nil { folded.append((p + "expand", w.expand)) }
            folded.append((p + "depthwise", w.depthwise))
            folded.append((p + "project", w.project))
        }
        folded.append(("Conv_1", weights.head))
        let specs = Dictionary(uniqueKeysWithValues: convolutions.map { ($0.layer, $0) })
        for (layer, convolution) in folded {
            guard let spec = specs[layer] else {
                throw .notMobileNetV2(source: "weights", reason: "layer \(layer) does not exist at alpha \(alpha)")
            }
            guard let convolution else { throw .missingWeight(source: "weights", layer: layer, weight: "kernel") }
            try Self.expect(layer, spec.kernelShape, convolution.kernel.shape)
            try Self.expect(layer + " bias", [spec.outputChannels], [convolution.bias.count])
        }
        if let classifier = weights.classifier {
            try Self.expect("predictions", [headChannels, classifier.bias.count], classifier.kernel.shape)
            guard !classifier.bias.isEmpty else {
                throw .wrongShape(layer: "predictions bias", expected: [1000], found: [0])
            }
        }
    }

    static func expect(_ layer: String, _ expected: [Int], _ found: [Int]) throws(ModelError) {
        if expected != found { throw .wrongShape(layer: layer, expected: expected, found: found) }
    }
}
