import MobileNet

/// Writes MobileNetV2 with a linear head as one TFLite file, for apps that run LiteRT.
public enum TFLiteExport {
    /// The input sizes accepted, as for `MobileNetV2`.
    public static let supportedInputSizes = 32...2048

    /// One TFLite file: input [1,224,224,3] float32 in [-1,1] (x/127.5-1, Keras MobileNetV2 preprocessing), MobileNetV2
    /// backbone (BatchNorm already folded in the given weights), global average pool, FULLY_CONNECTED head, SOFTMAX
    /// output [1, labels.count]. Labels carried in the file's metadata (`LabelsMetadata`).
    ///
    /// The backbone's own classifier (ImageNet's, if any) is left out: `head` takes its place. Every tensor is
    /// float32; the signature `serving_default` names the input `input` and the output `probabilities`.
    public static func model(backbone: MobileNetV2Weights, head: AffineHead, inputSize: Int = 224) throws(ModelExportError)
        -> [UInt8]
    {
        guard supportedInputSizes.contains(inputSize) else {
            throw .invalidInputSize(inputSize, supported: supportedInputSizes)
        }
        let architecture: MobileNetV2Architecture
        do throws(ModelError) {
            architecture = try MobileNetV2Architecture(alpha: backbone.alpha)
            try architecture.check(backbone)
        } catch {
            throw .invalidBackbone(error)
        }
        guard head.featureCount == architecture.headChannels else {
            throw .featureCountMismatch(head: head.featureCount, backbone: architecture.headChannels)
        }
        var graph = TFLiteGraph()
        let features = graph.defineMobileNetV2(architecture, backbone, inputSize: inputSize)
        let probabilities = graph.defineHead(head, features: features)
        graph.outputs = [probabilities]
        let labels = graph.buffer(LabelsMetadata.encode(head.labels))
        return try TFLiteFileWriter.write(
            graph,
            description: "Orchard: MobileNetV2 (alpha \(backbone.alpha), \(inputSize)×\(inputSize)) + linear head, "
                + "\(head.labels.count) labels in metadata \"\(LabelsMetadata.name)\"; input float32 RGB in [-1, 1] (x / 127.5 - 1)",
            metadata: [TFLiteFileWriter.Metadata(name: LabelsMetadata.name, buffer: labels)],
            signature: TFLiteFileWriter.Signature(
                key: "serving_default", inputs: [("input", graph.inputs[0])], outputs: [("probabilities", probabilities)]))
    }
}
