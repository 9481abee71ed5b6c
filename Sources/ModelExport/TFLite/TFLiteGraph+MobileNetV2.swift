import MobileNet

// MobileNetV2 (Sandler et al. 2018, arXiv 1801.04381) as TFLite operators, layer for layer what
// MobileNet's XNNPACKGraphBuilder defines (which is parity-tested against Keras): stem, 17 inverted
// residuals, Conv_1, global average pool, then the caller's linear head and softmax.

extension TFLiteGraph {
    /// An activation tensor: its index, spatial size and channels.
    struct Activation {
        let tensor: Int
        let size: Int
        let channels: Int
    }

    /// Defines the backbone from input to the pooled features `[1, featureCount]`; returns the features' tensor.
    /// The weights must already have passed `MobileNetV2Architecture.check`.
    mutating func defineMobileNetV2(_ architecture: MobileNetV2Architecture, _ weights: MobileNetV2Weights, inputSize: Int)
        -> Activation
    {
        let input = activation("input", shape: [1, inputSize, inputSize, 3])
        inputs = [input]
        var x = convolution(Activation(tensor: input, size: inputSize, channels: 3), weights.stem, stride: 2, relu6: true,
                            layer: "Conv1")
        for (block, w) in zip(architecture.blocks, weights.blocks) {
            x = invertedResidual(x, block, w)
        }
        x = convolution(x, weights.head, stride: 1, relu6: true, layer: "Conv_1")
        // Keras's GlobalAveragePooling2D: MEAN over height and width, dropping them.
        let axes = constant("global_average_pooling2d/axes", shape: [2], integers: [1, 2])
        let features = activation("features", shape: [1, x.channels])
        append(.mean, inputs: [x.tensor, axes], outputs: [features], options: .reducer(keepDims: false))
        return Activation(tensor: features, size: 1, channels: x.channels)
    }

    /// The head: FULLY_CONNECTED to logits (Keras [features, K] → TFLite [K, features]), then SOFTMAX with β = 1.
    /// Returns the probabilities' tensor.
    mutating func defineHead(_ head: AffineHead, features: Activation) -> Int {
        let (inputs, classes) = (head.featureCount, head.labels.count)
        var transposed = [Float](repeating: 0, count: head.weights.count)
        head.weights.withUnsafeBufferPointer { source in
            transposed.withUnsafeMutableBufferPointer { target in
                var index = 0
                while index < source.count {
                    target[(index % classes) * inputs + index / classes] = source[index]
                    index += 1
                }
            }
        }
        let weights = constant("head/weights", shape: [classes, inputs], floats: transposed)
        let bias = constant("head/bias", shape: [classes], floats: head.bias)
        let logits = activation("logits", shape: [1, classes])
        append(.fullyConnected, inputs: [features.tensor, weights, bias], outputs: [logits],
               options: .fullyConnected(activation: .none))
        let probabilities = activation("probabilities", shape: [1, classes])
        append(.softmax, inputs: [logits], outputs: [probabilities], options: .softmax(beta: 1))
        return probabilities
    }

    /// Fig. 4b: expand (1×1, ReLU6) → depthwise 3×3 (ReLU6) → project (1×1, linear) → + input when shapes match.
    private mutating func invertedResidual(_ input: Activation, _ block: InvertedResidual, _ w: InvertedResidualWeights)
        -> Activation
    {
        var x = input
        if let expand = w.expand {
            x = convolution(x, expand, stride: 1, relu6: true, layer: block.kerasPrefix + "expand")
        }
        x = depthwise(x, w.depthwise, stride: block.stride, layer: block.kerasPrefix + "depthwise")
        x = convolution(x, w.project, stride: 1, relu6: false, layer: block.kerasPrefix + "project")
        guard block.hasResidual else { return x }
        let sum = activation(block.kerasPrefix + "add", shape: [1, x.size, x.size, x.channels])
        append(.add, inputs: [input.tensor, x.tensor], outputs: [sum], options: .add(activation: .none))
        return Activation(tensor: sum, size: x.size, channels: x.channels)
    }

    /// CONV_2D (3×3 stem or 1×1): Keras HWIO kernel → TFLite OHWI `[Cout, KH, KW, Cin]`, SAME padding.
    private mutating func convolution(_ x: Activation, _ conv: FoldedConvolution, stride: Int, relu6: Bool, layer: String)
        -> Activation
    {
        let (kh, kw, cin, cout) = (conv.kernel.shape[0], conv.kernel.shape[1], conv.kernel.shape[2], conv.kernel.shape[3])
        var ohwi = [Float](repeating: 0, count: conv.kernel.values.count)
        conv.kernel.values.withUnsafeBufferPointer { source in
            ohwi.withUnsafeMutableBufferPointer { target in
                // Read the source in order: [h][w][c][o] lands at [o][h][w][c]. While loops for debug builds.
                var index = 0
                var spatial = 0
                while spatial < kh * kw {
                    var c = 0
                    while c < cin {
                        var o = 0
                        while o < cout {
                            target[(o * kh * kw + spatial) * cin + c] = source[index]
                            index += 1
                            o += 1
                        }
                        c += 1
                    }
                    spatial += 1
                }
            }
        }
        let filter = constant(layer + "/filter", shape: [cout, kh, kw, cin], floats: ohwi)
        let bias = constant(layer + "/bias", shape: [cout], floats: conv.bias)
        let size = SamePadding(input: x.size, kernel: kh, stride: stride).output
        let output = activation(layer, shape: [1, size, size, cout])
        append(.conv2D, inputs: [x.tensor, filter, bias], outputs: [output],
               options: .conv2D(padding: .same, stride: Int32(stride), activation: relu6 ? .relu6 : .none))
        return Activation(tensor: output, size: size, channels: cout)
    }

    /// DEPTHWISE_CONV_2D 3×3 with ReLU6: Keras `[KH, KW, C, 1]` holds the same bytes as TFLite's `[1, KH, KW, C]`.
    private mutating func depthwise(_ x: Activation, _ conv: FoldedConvolution, stride: Int, layer: String) -> Activation {
        let (kh, kw, channels) = (conv.kernel.shape[0], conv.kernel.shape[1], conv.kernel.shape[2])
        let filter = constant(layer + "/filter", shape: [1, kh, kw, channels], floats: conv.kernel.values)
        let bias = constant(layer + "/bias", shape: [channels], floats: conv.bias)
        let size = SamePadding(input: x.size, kernel: kh, stride: stride).output
        let output = activation(layer, shape: [1, size, size, channels])
        append(.depthwiseConv2D, inputs: [x.tensor, filter, bias], outputs: [output],
               options: .depthwiseConv2D(padding: .same, stride: Int32(stride), depthMultiplier: 1, activation: .relu6))
        return Activation(tensor: output, size: size, channels: channels)
    }
}
