import CXNNPACK

/// Defines MobileNetV2 as an XNNPACK subgraph (fp32, NHWC, batch 1): one call per layer of the paper,
/// weights converted from Keras layouts into buffers of a `WeightArena`.
struct XNNPACKGraphBuilder {
    /// External value ids: the runtime's inputs and outputs.
    enum External: UInt32, CaseIterable {
        case input = 0, features, logits, probabilities
    }

    /// An activation tensor in the graph: its value id, spatial size and channels.
    struct Activation {
        let id: UInt32
        let size: Int
        let channels: Int
    }

    let subgraph: xnn_subgraph_t
    let arena: WeightArena

    static let invalidID = UInt32.max
    static let externalInputFlag: UInt32 = 0x1   // XNN_VALUE_FLAG_EXTERNAL_INPUT
    static let externalOutputFlag: UInt32 = 0x2  // XNN_VALUE_FLAG_EXTERNAL_OUTPUT

    /// Defines the whole network; returns nothing, the runtime finds the outputs by their external ids.
    func define(_ architecture: MobileNetV2Architecture, _ weights: MobileNetV2Weights, inputSize: Int)
        throws(ModelError)
    {
        let input = try tensor([1, inputSize, inputSize, 3], externalID: External.input.rawValue,
                               flags: Self.externalInputFlag)
        var x = try convolution(Activation(id: input, size: inputSize, channels: 3), weights.stem, stride: 2,
                                relu6: true, layer: "Conv1")
        for (block, w) in zip(architecture.blocks, weights.blocks) {
            x = try invertedResidual(x, block, w)
        }
        x = try convolution(x, weights.head, stride: 1, relu6: true, layer: "Conv_1")
        try pooledOutputs(x, weights.classifier, ids: (External.features.rawValue, External.logits.rawValue,
                                                        External.probabilities.rawValue))
    }

    /// Global average pooling into the external `features` value, then the classifier when there is one.
    func pooledOutputs(_ x: Activation, _ classifier: MobileNetV2Weights.Classifier?,
                       ids: (features: UInt32, logits: UInt32, probabilities: UInt32)) throws(ModelError)
    {
        let features = try tensor([1, 1, 1, x.channels], externalID: ids.features, flags: Self.externalOutputFlag)
        try check(xnn_define_global_average_pooling_2d(subgraph, -.infinity, .infinity, x.id, features, 0),
                  "global_average_pooling_2d")
        if let classifier {
            try self.classifier(Activation(id: features, size: 1, channels: x.channels), classifier,
                                ids: (ids.logits, ids.probabilities))
        }
    }

    /// Fig. 4b: expand (1×1, ReLU6) → depthwise 3×3 (ReLU6) → project (1×1, linear) → + input when shapes match.
    private func invertedResidual(_ input: Activation, _ block: InvertedResidual, _ w: InvertedResidualWeights)
        throws(ModelError) -> Activation
    {
        var x = input
        if let expand = w.expand {
            x = try convolution(x, expand, stride: 1, relu6: true, layer: block.kerasPrefix + "expand")
        }
        x = try depthwise(x, w.depthwise, stride: block.stride, layer: block.kerasPrefix + "depthwise")
        x = try convolution(x, w.project, stride: 1, relu6: false, layer: block.kerasPrefix + "project")
        guard block.hasResidual else { return x }
        let sum = try tensor([1, x.size, x.size, x.channels])
        try check(xnn_define_add2(subgraph, -.infinity, .infinity, input.id, x.id, sum, 0), block.kerasPrefix + "add")
        return Activation(id: sum, size: x.size, channels: x.channels)
    }

    /// A regular convolution (3×3 stem or 1×1), Keras HWIO kernel → XNNPACK [Cout, KH, KW, Cin], written
    /// into `output` (a value defined by the caller) or a new internal value.
    func convolution(_ x: Activation, _ conv: FoldedConvolution, stride: Int, relu6: Bool, layer: String,
                     into output: UInt32? = nil) throws(ModelError) -> Activation
    {
        let (kh, kw, cin, cout) = (conv.kernel.shape[0], conv.kernel.shape[1], conv.kernel.shape[2], conv.kernel.shape[3])
        let source = conv.kernel.values
        let filterData = arena.store(count: source.count) { i in
            // i indexes [o][h][w][c]; the Keras value sits at [h][w][c][o].
            let c = i % cin, w = (i / cin) % kw, h = (i / (cin * kw)) % kh, o = i / (cin * kw * kh)
            return source[((h * kw + w) * cin + c) * cout + o]
        }
        let filter = try tensor([cout, kh, kw, cin], data: filterData)
        let bias = try tensor([cout], data: arena.store(count: cout) { conv.bias[$0] })
        let (before, after) = kh == 1 ? (0, 0) : MobileNetV2Architecture.padding(x.size, stride: stride)
        let size = kh == 1 ? x.size : MobileNetV2Architecture.outputSize(x.size, stride: stride)
        let output = if let output { output } else { try tensor([1, size, size, cout]) }
        try check(xnn_define_convolution_2d(
            subgraph, UInt32(before), UInt32(after), UInt32(after), UInt32(before), UInt32(kh), UInt32(kw),
            UInt32(stride), UInt32(stride), 1, 1, 1, cin, cout, relu6 ? 0 : -.infinity, relu6 ? 6 : .infinity,
            x.id, filter, bias, output, 0), "convolution_2d \(layer)")
        return Activation(id: output, size: size, channels: cout)
    }

    /// A 3×3 depthwise convolution with ReLU6; Keras [KH, KW, C, 1] is already XNNPACK's [1, KH, KW, C] in memory.
    private func depthwise(_ x: Activation, _ conv: FoldedConvolution, stride: Int, layer: String)
        throws(ModelError) -> Activation
    {
        let (kh, kw, channels) = (conv.kernel.shape[0], conv.kernel.shape[1], conv.kernel.shape[2])
        let source = conv.kernel.values
        let filter = try tensor([1, kh, kw, channels], data: arena.store(count: source.count) { source[$0] })
        let bias = try tensor([channels], data: arena.store(count: channels) { conv.bias[$0] })
        // Padding is top, right, bottom, left; Keras pads the end (bottom/right) by 1 at stride 2.
        let (before, after) = MobileNetV2Architecture.padding(x.size, stride: stride)
        let size = MobileNetV2Architecture.outputSize(x.size, stride: stride)
        let output = try tensor([1, size, size, channels])
        try check(xnn_define_depthwise_convolution_2d(
            subgraph, UInt32(before), UInt32(after), UInt32(after), UInt32(before), UInt32(kh), UInt32(kw),
            UInt32(stride), UInt32(stride), 1, 1, 1, channels, 0, 6, x.id, filter, bias, output, 0),
            "depthwise_convolution_2d \(layer)")
        return Activation(id: output, size: size, channels: channels)
    }

    /// `predictions`: fully connected (Keras [C, K] → XNNPACK [K, C]) to logits, then softmax.
    private func classifier(_ features: Activation, _ classifier: MobileNetV2Weights.Classifier,
                            ids: (logits: UInt32, probabilities: UInt32)) throws(ModelError)
    {
        let (inputs, classes) = (classifier.kernel.shape[0], classifier.kernel.shape[1])
        let source = classifier.kernel.values
        let filter = try tensor([classes, inputs], data: arena.store(count: source.count) { i in
            source[(i % inputs) * classes + i / inputs]
        })
        let bias = try tensor([classes], data: arena.store(count: classes) { classifier.bias[$0] })
        let logits = try tensor([1, 1, 1, classes], externalID: ids.logits, flags: Self.externalOutputFlag)
        try check(xnn_define_fully_connected(subgraph, -.infinity, .infinity, features.id, filter, bias, logits, 0),
                  "fully_connected predictions")
        let probabilities = try tensor([1, 1, 1, classes], externalID: ids.probabilities,
                                       flags: Self.externalOutputFlag)
        try check(xnn_define_softmax(subgraph, logits, probabilities, 0), "softmax predictions")
    }

    /// Defines a value: static when `data` is given, external when `externalID` is, internal otherwise.
    func tensor(_ dims: [Int], data: UnsafeMutablePointer<Float>? = nil, externalID: UInt32? = nil,
                flags: UInt32 = 0) throws(ModelError) -> UInt32
    {
        var id = Self.invalidID
        let status = dims.withUnsafeBufferPointer { shape in
            xnn_define_tensor_value(subgraph, xnn_datatype_fp32, shape.count, shape.baseAddress, data,
                                    externalID ?? Self.invalidID, flags, &id)
        }
        try check(status, "define_tensor_value \(dims)")
        return id
    }
}
