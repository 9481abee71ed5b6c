/// A dense float tensor as a weight file stores it, row-major.
public struct WeightTensor: Sendable, Equatable {
    /// Dimensions, outermost first.
    public var shape: [Int]
    /// shape.reduce(1, *) values, row-major.
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        self.shape = shape
        self.values = values
    }
}

/// One convolution with its BatchNorm folded in: `y = conv(x, kernel) + bias`.
///
/// Kernels keep Keras's layout — `[KH, KW, Cin, Cout]` for regular and 1×1 convolutions,
/// `[KH, KW, C, 1]` for depthwise ones — whatever file they came from; the XNNPACK builder
/// converts them to its own layout.
public struct FoldedConvolution: Sendable, Equatable {
    public var kernel: WeightTensor
    public var bias: [Float]

    public init(kernel: WeightTensor, bias: [Float]) {
        self.kernel = kernel
        self.bias = bias
    }
}

/// The weights of one inverted-residual block (Sandler et al. 2018, Fig. 4b / Table 1).
public struct InvertedResidualWeights: Sendable, Equatable {
    /// The 1×1 expansion; nil for the first block, whose expansion factor is 1.
    public var expand: FoldedConvolution?
    /// The 3×3 depthwise convolution.
    public var depthwise: FoldedConvolution
    /// The linear 1×1 projection.
    public var project: FoldedConvolution

    public init(expand: FoldedConvolution?, depthwise: FoldedConvolution, project: FoldedConvolution) {
        self.expand = expand
        self.depthwise = depthwise
        self.project = project
    }
}

/// All of MobileNetV2's weights, BatchNorm folded, independent of the file format they came from.
///
/// Loaders (Keras .h5, TFLite) produce this; the network builder consumes it and checks every shape
/// against the architecture for the given width multiplier.
public struct MobileNetV2Weights: Sendable, Equatable {
    /// Keras `alpha`, the width multiplier (0.35, 0.5, 0.75, 1.0, 1.3 or 1.4).
    public var alpha: Double
    /// `Conv1` + `bn_Conv1`: the 3×3 stride-2 stem.
    public var stem: FoldedConvolution
    /// The 17 inverted-residual blocks, `expanded_conv` then `block_1` … `block_16`.
    public var blocks: [InvertedResidualWeights]
    /// `Conv_1` + `Conv_1_bn`: the last 1×1 convolution (1280 channels at alpha ≤ 1.0).
    public var head: FoldedConvolution
    /// The `predictions` dense layer, `[features, 1000]` kernel and 1000 biases, when the file has the top.
    public var classifier: Classifier?

    /// The ImageNet classifier on top of the pooled features.
    public struct Classifier: Sendable, Equatable {
        public var kernel: WeightTensor
        public var bias: [Float]

        public init(kernel: WeightTensor, bias: [Float]) {
            self.kernel = kernel
            self.bias = bias
        }
    }

    public init(
        alpha: Double, stem: FoldedConvolution, blocks: [InvertedResidualWeights],
        head: FoldedConvolution, classifier: Classifier?
    ) {
        self.alpha = alpha
        self.stem = stem
        self.blocks = blocks
        self.head = head
        self.classifier = classifier
    }
}
