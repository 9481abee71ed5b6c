// Reads MobileNetV2 weights from a TFLite file converted from keras.applications.MobileNetV2
// (schema: tensorflow/lite/schema/schema.fbs). The converter has already folded every BatchNorm into
// its convolution, so the file's filters and biases are the folded weights; this loader walks the
// graph in Sandler et al.'s order (stem, 17 inverted residuals, head, classifier), checks each
// operator is the one MobileNetV2 has there, and moves the filters into Keras's layout.

/// Loads the folded weights of a TFLite MobileNetV2 (float32, float16 or dynamic-range int8).
public enum TFLiteWeightLoader {
    /// Parses `bytes`, a whole .tflite file called `name` in errors, into Keras-layout folded weights.
    public static func load(bytes: [UInt8], name: String) throws -> MobileNetV2Weights {
        do {
            let weights = try read(TFLiteModel(bytes: bytes))
            try MobileNetV2Architecture(alpha: weights.alpha).check(weights)
            return weights
        } catch let error as TFLiteError {
            throw error.modelError(source: name)
        }
    }

    /// Walks the graph layer by layer; alpha comes from the widths found on the way.
    private static func read(_ model: TFLiteModel) throws(TFLiteError) -> MobileNetV2Weights {
        var graph = try TFLiteGraphCursor(model: model)
        let stem = try convolution(&graph, "Conv1", kernel: 3, stride: 2, activation: TFLiteOptions.relu6)
        var channels = stem.bias.count
        var blocks: [InvertedResidualWeights] = []
        var outputs: [Int] = []
        let blockCount = MobileNetV2Architecture.stages.reduce(0) { $0 + $1.n }
        for index in 0..<blockCount {
            let layer = index == 0 ? "expanded_conv" : "block_\(index)"
            let shortcut = graph.current
            let expand = index == 0 ? nil
                : try convolution(&graph, layer + "_expand", kernel: 1, stride: 1, activation: TFLiteOptions.relu6)
            let depthwise = try depthwiseConvolution(&graph, layer + "_depthwise", stride: stride(ofBlock: index))
            let project = try convolution(&graph, layer + "_project", kernel: 1, stride: 1, activation: TFLiteOptions.noActivation)
            // Keras adds the shortcut exactly when the block keeps resolution and width.
            if stride(ofBlock: index) == 1 && project.bias.count == channels {
                try graph.consumeAdd(shortcut: shortcut, for: layer)
            }
            channels = project.bias.count
            outputs.append(channels)
            blocks.append(InvertedResidualWeights(expand: expand, depthwise: depthwise, project: project))
        }
        let head = try convolution(&graph, "Conv_1", kernel: 1, stride: 1, activation: TFLiteOptions.relu6)
        let alpha = try inferAlpha(stem: stem.bias.count, blocks: outputs, head: head.bias.count)
        let classifier = try topLayers(&graph, features: head.bias.count)
        return MobileNetV2Weights(alpha: alpha, stem: stem, blocks: blocks, head: head, classifier: classifier)
    }

    /// Stride of block `index`'s depthwise convolution, from the architecture's stage table.
    private static func stride(ofBlock index: Int) -> Int {
        var first = 0
        for stage in MobileNetV2Architecture.stages {
            if index < first + stage.n { return index == first ? stage.s : 1 }
            first += stage.n
        }
        return 1
    }

    /// The Keras alpha whose widths are exactly these; Keras's rounding makes them unique per alpha.
    private static func inferAlpha(stem: Int, blocks: [Int], head: Int) throws(TFLiteError) -> Double {
        for alpha in MobileNetV2Architecture.supportedAlphas {
            guard let architecture = try? MobileNetV2Architecture(alpha: alpha) else { continue }
            if architecture.stemChannels == stem, architecture.headChannels == head,
               architecture.blocks.map(\.outputChannels) == blocks {
                return alpha
            }
        }
        throw .notMobileNetV2("widths stem \(stem), blocks \(blocks), head \(head) match no Keras alpha")
    }

    /// A CONV_2D with `kernel`×`kernel` filters: TFLite's [Cout, KH, KW, Cin] becomes Keras's [KH, KW, Cin, Cout].
    private static func convolution(
        _ graph: inout TFLiteGraphCursor, _ layer: String, kernel size: Int, stride: Int, activation: Int8
    ) throws(TFLiteError) -> FoldedConvolution {
        let channels = try inputChannels(graph)
        let op = try graph.consume(TFLiteOperatorCode.conv2D, for: layer, allowPad: stride == 2)
        try checkOptions(op, layer, stride: stride, activation: activation)
        let filter = try graph.constant(op, input: 1, layer: layer, weight: "filter")
        guard filter.shape.count == 4, filter.shape[1] == size, filter.shape[2] == size, filter.shape[3] == channels else {
            let cout = filter.shape.first ?? 0
            throw .wrongShape(layer: layer, expected: [cout, size, size, channels], found: filter.shape)
        }
        let (cout, kh, kw, cin) = (filter.shape[0], filter.shape[1], filter.shape[2], filter.shape[3])
        var hwio = [Float](repeating: 0, count: filter.values.count)
        filter.values.withUnsafeBufferPointer { source in
            hwio.withUnsafeMutableBufferPointer { target in
                // Read the source in order, no divisions; while loops, as debug builds crawl through ranges.
                var index = 0
                var o = 0
                while o < cout {
                    var spatial = 0
                    while spatial < kh * kw {
                        var i = 0
                        while i < cin {
                            target[(spatial * cin + i) * cout + o] = source[index]
                            index += 1
                            i += 1
                        }
                        spatial += 1
                    }
                    o += 1
                }
            }
        }
        let bias = try bias(graph, op, layer, count: cout)
        return FoldedConvolution(kernel: WeightTensor(shape: [kh, kw, cin, cout], values: hwio), bias: bias)
    }

    /// A 3×3 DEPTHWISE_CONV_2D: TFLite's [1, KH, KW, C] holds the same bytes as Keras's [KH, KW, C, 1].
    private static func depthwiseConvolution(
        _ graph: inout TFLiteGraphCursor, _ layer: String, stride: Int
    ) throws(TFLiteError) -> FoldedConvolution {
        let channels = try inputChannels(graph)
        let op = try graph.consume(TFLiteOperatorCode.depthwiseConv2D, for: layer, allowPad: stride == 2)
        try checkOptions(op, layer, stride: stride, activation: TFLiteOptions.relu6)
        let filter = try graph.constant(op, input: 1, layer: layer, weight: "depthwise filter")
        guard filter.shape == [1, 3, 3, channels] else {
            throw .wrongShape(layer: layer, expected: [1, 3, 3, channels], found: filter.shape)
        }
        let bias = try bias(graph, op, layer, count: channels)
        return FoldedConvolution(kernel: WeightTensor(shape: [3, 3, channels, 1], values: filter.values), bias: bias)
    }

    /// MEAN over height and width, then FULLY_CONNECTED (and SOFTMAX); nil when the graph stops at the head.
    private static func topLayers(_ graph: inout TFLiteGraphCursor, features: Int) throws(TFLiteError) -> MobileNetV2Weights.Classifier? {
        guard !graph.isAtEnd else { return nil }
        let pool = try graph.consume(TFLiteOperatorCode.mean, for: "global_average_pooling2d")
        let axes = pool.inputs.count == 2 ? graph.integerConstant(pool.inputs[1]) : nil
        guard let axes, Set(axes) == [1, 2] else {
            throw .notMobileNetV2("op \(pool.index) (MEAN) does not average over height and width")
        }
        while graph.peek(TFLiteOperatorCode.reshape) != nil {
            _ = try graph.consume(TFLiteOperatorCode.reshape, for: "predictions")
        }
        guard !graph.isAtEnd else { return nil }
        let op = try graph.consume(TFLiteOperatorCode.fullyConnected, for: "predictions")
        let weights = try graph.constant(op, input: 1, layer: "predictions", weight: "kernel")
        guard weights.shape.count == 2, weights.shape[1] == features, weights.shape[0] > 0 else {
            throw .wrongShape(layer: "predictions", expected: [1000, features], found: weights.shape)
        }
        let (classes, inputs) = (weights.shape[0], weights.shape[1])
        var transposed = [Float](repeating: 0, count: weights.values.count)
        weights.values.withUnsafeBufferPointer { source in
            transposed.withUnsafeMutableBufferPointer { target in
                var index = 0
                var c = 0
                while c < classes {
                    var f = 0
                    while f < inputs {
                        target[f * classes + c] = source[index]
                        index += 1
                        f += 1
                    }
                    c += 1
                }
            }
        }
        let bias = try bias(graph, op, "predictions", count: classes)
        if graph.peek(TFLiteOperatorCode.softmax) != nil {
            _ = try graph.consume(TFLiteOperatorCode.softmax, for: "predictions")
        }
        if !graph.isAtEnd {
            throw .notMobileNetV2("operators follow the classifier; MobileNetV2 ends with FULLY_CONNECTED and SOFTMAX")
        }
        return MobileNetV2Weights.Classifier(kernel: WeightTensor(shape: [inputs, classes], values: transposed), bias: bias)
    }

    /// The channel count of the activation the next layer reads.
    private static func inputChannels(_ graph: TFLiteGraphCursor) throws(TFLiteError) -> Int {
        let tensor = graph.model.tensors[graph.current]
        guard tensor.shape.count == 4, tensor.shape[3] > 0 else {
            throw .notMobileNetV2("activation \(tensor.name) has shape \(tensor.shape), expected [N, H, W, C]")
        }
        return tensor.shape[3]
    }

    /// Input 2 of a convolution or FULLY_CONNECTED; TFLite marks an absent (all-zero) bias with -1.
    private static func bias(_ graph: TFLiteGraphCursor, _ op: TFLiteOperator, _ layer: String, count: Int) throws(TFLiteError) -> [Float] {
        if op.inputs.count < 3 || op.inputs[2] == -1 { return [Float](repeating: 0, count: count) }
        let bias = try graph.constant(op, input: 2, layer: layer, weight: "bias")
        guard bias.shape == [count] else { throw .wrongShape(layer: layer + " bias", expected: [count], found: bias.shape) }
        return bias.values
    }

    private static func checkOptions(_ op: TFLiteOperator, _ layer: String, stride: Int, activation: Int8) throws(TFLiteError) {
        let options = op.options
        guard options.strideH == stride, options.strideW == stride else {
            throw .notMobileNetV2("op \(op.index) (\(layer)) has stride \(options.strideH)×\(options.strideW), expected \(stride)")
        }
        guard options.dilationH == 1, options.dilationW == 1 else {
            throw .notMobileNetV2("op \(op.index) (\(layer)) is dilated")
        }
        guard options.activation == activation else {
            throw .notMobileNetV2("op \(op.index) (\(layer)) has fused activation \(options.activation), expected \(activation == TFLiteOptions.relu6 ? "RELU6" : "none")")
        }
    }
}
