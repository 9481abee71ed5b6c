// The values of tensorflow/lite/schema/schema.fbs that the exporter writes, under the schema's own
// names. Field ids (a field's declaration order in its table) sit beside each table's writer in
// TFLiteFileWriter.swift.

/// Schema-wide constants.
enum TFLiteSchema {
    /// `Model.version`: schema version 3 moved constant data into `Model.buffers`.
    static let version: UInt32 = 3
    /// `file_identifier "TFL3"`.
    static let fileIdentifier = "TFL3"
    /// `Buffer.data` is declared `(force_align: 16)`, so kernels may read weights with aligned loads.
    static let bufferAlignment = 16
}

/// `enum BuiltinOperator`: the operators MobileNetV2 with a linear head needs.
enum BuiltinOperator: Int32, Sendable, CaseIterable {
    case add = 0
    case conv2D = 3
    case depthwiseConv2D = 4
    case fullyConnected = 9
    case softmax = 25
    case mean = 40
}

/// `enum TensorType : byte`.
enum TensorType: Int8, Sendable {
    case float32 = 0
    case int32 = 2
}

/// `enum Padding : byte { SAME, VALID }`.
enum Padding: Int8, Sendable {
    case same = 0
    case valid = 1
}

/// `enum ActivationFunctionType : byte`.
enum ActivationFunction: Int8, Sendable {
    case none = 0
    case relu6 = 3
}

/// One member of `union BuiltinOptions` with its values; the raw value is the union's type tag.
enum BuiltinOptions: Sendable, Equatable {
    case conv2D(padding: Padding, stride: Int32, activation: ActivationFunction)
    case depthwiseConv2D(padding: Padding, stride: Int32, depthMultiplier: Int32, activation: ActivationFunction)
    case fullyConnected(activation: ActivationFunction)
    case softmax(beta: Float)
    case add(activation: ActivationFunction)
    case reducer(keepDims: Bool)

    /// The union's type tag, the option table's position in `union BuiltinOptions` (NONE = 0).
    var type: UInt8 {
        switch self {
        case .conv2D: 1
        case .depthwiseConv2D: 2
        case .fullyConnected: 8
        case .softmax: 9
        case .add: 11
        case .reducer: 27
        }
    }
}
