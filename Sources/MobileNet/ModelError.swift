/// Everything that can go wrong loading MobileNetV2 weights or running the network, with what and where.
public enum ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or read at all (missing, permissions, I/O error).
    case unreadableFile(path: String, reason: String)
    /// The file is neither HDF5 (Keras .h5) nor a TFLite flatbuffer ("TFL3").
    case unknownFormat(path: String)
    /// The file parses but does not hold a Keras MobileNetV2 (wrong network, wrong alpha, missing top level).
    case notMobileNetV2(source: String, reason: String)
    /// A weight has the wrong shape for the architecture; `layer` is the Keras layer (or TFLite tensor) name.
    case wrongShape(layer: String, expected: [Int], found: [Int])
    /// A weight the architecture needs is absent from the file.
    case missingWeight(source: String, layer: String, weight: String)
    /// The file ends before the data its own header promises.
    case truncatedFile(source: String, detail: String)
    /// The file uses an operator this runtime does not implement (TFLite builtin or custom op name).
    case unsupportedOperator(source: String, name: String)
    /// A tensor has an element type this runtime does not read (e.g. int16, string).
    case unsupportedType(source: String, tensor: String, type: String)
    /// An XNNPACK call failed; `stage` names the call and the layer, `status` is its `xnn_status`.
    case xnnpackFailure(stage: String, status: Int)
    /// A oneDNN call failed; `stage` names the call and the layer, `status` is its `dnnl_status_t`.
    case onednnFailure(stage: String, status: Int)
    /// A caller-supplied argument is out of range (input size, thread count, input length, alpha).
    case invalidArgument(String)

    /// One sentence naming what went wrong and where.
    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason): "cannot read \(path): \(reason)"
        case .unknownFormat(let path): "\(path) is neither a Keras HDF5 (.h5) nor a TFLite (TFL3) file"
        case .notMobileNetV2(let source, let reason): "\(source) is not a Keras MobileNetV2: \(reason)"
        case .wrongShape(let layer, let expected, let found):
            "layer \(layer): expected shape \(expected), found \(found)"
        case .missingWeight(let source, let layer, let weight): "\(source): layer \(layer) has no \(weight)"
        case .truncatedFile(let source, let detail): "\(source) is truncated: \(detail)"
        case .unsupportedOperator(let source, let name): "\(source): unsupported operator \(name)"
        case .unsupportedType(let source, let tensor, let type): "\(source): tensor \(tensor) has unsupported type \(type)"
        case .xnnpackFailure(let stage, let status): "XNNPACK failed in \(stage) (xnn_status \(status))"
        case .onednnFailure(let stage, let status): "oneDNN failed in \(stage) (dnnl_status_t \(status))"
        case .invalidArgument(let message): message
        }
    }
}
