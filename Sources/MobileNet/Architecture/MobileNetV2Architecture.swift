// MobileNetV2: Inverted Residuals and Linear Bottlenecks — Sandler, Howard, Zhu, Zhmoginov, Chen,
// CVPR 2018, arXiv 1801.04381. Widths follow keras.applications.MobileNetV2 exactly, since the
// weight files come from it.

/// One row of the paper's Table 2: a stage of `n` bottlenecks with expansion `t`, `c` output channels,
/// the first of them with stride `s`.
public struct BottleneckStage: Sendable, Equatable {
    /// Expansion factor t.
    public let t: Int
    /// Output channels c at alpha 1.
    public let c: Int
    /// Repeats n.
    public let n: Int
    /// Stride s of the first block of the stage.
    public let s: Int
}

/// MobileNetV2's layer widths for one width multiplier, as keras.applications builds it.
public struct MobileNetV2Architecture: Sendable, Equatable {
    /// Table 2 of the paper, the bottleneck rows (the stem, head and classifier are separate).
    public static let stages: [BottleneckStage] = [
        BottleneckStage(t: 1, c: 16, n: 1, s: 1),
        BottleneckStage(t: 6, c: 24, n: 2, s: 2),
        BottleneckStage(t: 6, c: 32, n: 3, s: 2),
        BottleneckStage(t: 6, c: 64, n: 4, s: 2),
        BottleneckStage(t: 6, c: 96, n: 3, s: 1),
        BottleneckStage(t: 6, c: 160, n: 3, s: 2),
        BottleneckStage(t: 6, c: 320, n: 1, s: 1),
    ]
    /// The width multipliers keras.applications accepts.
    public static let supportedAlphas: [Double] = [0.35, 0.5, 0.75, 1.0, 1.3, 1.4]

    /// Width multiplier.
    public let alpha: Double
    /// Output channels of the 3×3 stride-2 stem `Conv1`.
    public let stemChannels: Int
    /// The 17 bottlenecks in order.
    public let blocks: [InvertedResidual]
    /// Output channels of the last 1×1 convolution `Conv_1` (the pooled feature count).
    public let headChannels: Int

    /// The widths for `alpha`, which must be one Keras supports.
    public init(alpha: Double) throws(ModelError) {
        guard Self.supportedAlphas.contains(alpha) else {
            throw .invalidArgument("alpha \(alpha) is not one of \(Self.supportedAlphas)")
        }
        self.alpha = alpha
        stemChannels = Self.makeDivisible(32 * alpha)
        var blocks: [InvertedResidual] = []
        var channels = stemChannels
        for stage in Self.stages {
            // Keras truncates before rounding: `_make_divisible(int(filters * alpha), 8)`.
            let output = Self.makeDivisible(Double(Int(Double(stage.c) * alpha)))
            for repeatIndex in 0..<stage.n {
                blocks.append(InvertedResidual(
                    index: blocks.count, inputChannels: channels, expansion: stage.t, outputChannels: output,
                    stride: repeatIndex == 0 ? stage.s : 1))
                channels = output
            }
        }
        self.blocks = blocks
        // The paper keeps 1280 for alpha < 1 ("no alpha applied to last conv"); Keras widens it above 1.
        headChannels = alpha > 1.0 ? Self.makeDivisible(1280 * alpha) : 1280
    }

    /// Keras's `_make_divisible(v, 8)`: nearest multiple of `divisor`, at least `divisor`, never more
    /// than 10 % below `v`.
    public static func makeDivisible(_ value: Double, by divisor: Int = 8) -> Int {
        var rounded = max(divisor, Int(value + Double(divisor) / 2) / divisor * divisor)
        if Double(rounded) < 0.9 * value { rounded += divisor }
        return rounded
    }

    /// Spatial size after a 3×3 convolution with Keras padding ('same' or correct_pad + 'valid').
    static func outputSize(_ input: Int, stride: Int) -> Int { (input + stride - 1) / stride }

    /// Zero padding (top/left, bottom/right) Keras applies around a 3×3 convolution: 'same' at stride 1;
    /// at stride 2, 'same' (Conv1) and `correct_pad` + 'valid' (blocks) both pad 1 at the end and 1 at
    /// the start only when the size is odd.
    static func padding(_ input: Int, stride: Int) -> (before: Int, after: Int) {
        stride == 1 ? (1, 1) : (input % 2, 1)
    }
}
