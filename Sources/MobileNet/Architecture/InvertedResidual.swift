/// One inverted-residual bottleneck (Sandler et al. 2018, Fig. 4b and Table 1): 1×1 expansion with
/// ReLU6, 3×3 depthwise convolution with ReLU6, linear 1×1 projection, and a shortcut when the
/// block keeps both the resolution and the width.
public struct InvertedResidual: Sendable, Equatable {
    /// Position in the network, 0…16; Keras names block 0 `expanded_conv` and the rest `block_<index>`.
    public let index: Int
    /// Channels entering the block.
    public let inputChannels: Int
    /// Expansion factor t from Table 2.
    public let expansion: Int
    /// Channels after the 1×1 projection (Keras rounds `int(c * alpha)` to a multiple of 8).
    public let outputChannels: Int
    /// Stride of the depthwise convolution, 1 or 2.
    public let stride: Int

    /// Channels after the expansion; equal to the input when t = 1 (no expansion layer).
    public var expandedChannels: Int { inputChannels * expansion }
    /// Whether the block has an expansion layer (Keras omits it for t = 1, i.e. block 0).
    public var hasExpansion: Bool { expansion != 1 }
    /// The shortcut `x + F(x)` exists only when shapes match (Keras: stride 1 and equal widths).
    public var hasResidual: Bool { stride == 1 && inputChannels == outputChannels }
    /// Keras layer-name prefix: `expanded_conv_` for block 0, `block_<index>_` after.
    public var kerasPrefix: String { index == 0 ? "expanded_conv_" : "block_\(index)_" }

    /// Expected Keras kernel shapes (HWIO, depthwise `[3, 3, C, 1]`) of this block's layers.
    var kernelShapes: (expand: [Int]?, depthwise: [Int], project: [Int]) {
        (hasExpansion ? [1, 1, inputChannels, expandedChannels] : nil,
         [3, 3, expandedChannels, 1],
         [1, 1, expandedChannels, outputChannels])
    }
}
