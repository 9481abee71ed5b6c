import OrchardTestKit

@testable import MobileNet

/// MobileNetV2 weights of the right shapes for `alpha`, uniform random and scaled by fan-in so activations
/// stay in ReLU6's working range through all 52 convolutions; the same for the same seed.
enum RandomBackbone {
    static func weights(alpha: Double, seed: UInt64) throws -> MobileNetV2Weights {
        let architecture = try MobileNetV2Architecture(alpha: alpha)
        var random = SplitMix64(seed: seed)
        func convolution(_ shape: [Int], depthwise: Bool) -> FoldedConvolution {
            let fanIn = depthwise ? shape[0] * shape[1] : shape[0] * shape[1] * shape[2]
            let limit = Float((6.0 / Double(fanIn)).squareRoot())
            let values = (0..<shape.reduce(1, *)).map { _ in Float.random(in: -limit...limit, using: &random) }
            let outputs = depthwise ? shape[2] : shape[3]
            let bias = (0..<outputs).map { _ in Float.random(in: -0.1...0.1, using: &random) }
            return FoldedConvolution(kernel: WeightTensor(shape: shape, values: values), bias: bias)
        }
        let stem = convolution([3, 3, 3, architecture.stemChannels], depthwise: false)
        let blocks = architecture.blocks.map { block in
            let shapes = block.kernelShapes
            return InvertedResidualWeights(
                expand: shapes.expand.map { convolution($0, depthwise: false) },
                depthwise: convolution(shapes.depthwise, depthwise: true),
                project: convolution(shapes.project, depthwise: false))
        }
        let head = convolution([1, 1, architecture.blocks.last!.outputChannels, architecture.headChannels], depthwise: false)
        return MobileNetV2Weights(alpha: alpha, stem: stem, blocks: blocks, head: head, classifier: nil)
    }
}
