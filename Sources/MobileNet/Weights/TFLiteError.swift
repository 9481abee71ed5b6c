/// What went wrong inside the TFLite reader, before the loader knows the file's name; the loader
/// turns each case into a `ModelError` in one place (`TFLiteWeightLoader.load`).
enum TFLiteError: Error, Sendable, Equatable {
    /// The bytes do not carry the TFLite file identifier "TFL3".
    case notTFLite
    /// An offset, length or buffer range reaches past the end of the file.
    case truncated(String)
    /// The flatbuffer's contents contradict each other (indices out of range, sizes that disagree).
    case malformed(String)
    /// The graph uses an operator the MobileNetV2 mapping does not know.
    case unsupportedOperator(String)
    /// A weight tensor has an element type the loader cannot turn into floats.
    case unsupportedType(tensor: String, type: String)
    /// A layer's weight input is not a constant in the file.
    case missingWeight(layer: String, weight: String)
    /// The graph is well-formed but is not a Keras MobileNetV2.
    case notMobileNetV2(String)
    /// A weight has a shape the MobileNetV2 structure does not allow.
    case wrongShape(layer: String, expected: [Int], found: [Int])

    /// The module's public error for this failure in the file called `source`.
    func modelError(source: String) -> ModelError {
        switch self {
        case .notTFLite: .unknownFormat(path: source)
        case .truncated(let detail): .truncatedFile(source: source, detail: detail)
        case .malformed(let detail): .notMobileNetV2(source: source, reason: "malformed TFLite file: \(detail)")
        case .unsupportedOperator(let name): .unsupportedOperator(source: source, name: name)
        case .unsupportedType(let tensor, let type): .unsupportedType(source: source, tensor: tensor, type: type)
        case .missingWeight(let layer, let weight): .missingWeight(source: source, layer: layer, weight: weight)
        case .notMobileNetV2(let reason): .notMobileNetV2(source: source, reason: reason)
        case .wrongShape(let layer, let expected, let found): .wrongShape(layer: layer, expected: expected, found: found)
        }
    }
}
