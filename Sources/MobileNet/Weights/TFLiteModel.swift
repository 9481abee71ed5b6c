// The parts of a TFLite model the weight loader reads, decoded from the flatbuffer with the field ids
// of tensorflow/lite/schema/schema.fbs (Model → subgraphs[0] → tensors and operators, buffers,
// operator_codes). Only the first subgraph matters: a converted Keras model has one.

/// A decoded TFLite model: the main subgraph's tensors and operators and where each buffer's bytes are.
struct TFLiteModel: Sendable {
    let file: FlatBuffer
    let tensors: [TFLiteTensor]
    /// Operators in the order the interpreter runs them (the converter writes them topologically sorted).
    let operators: [TFLiteOperator]
    let inputs: [Int]
    let outputs: [Int]
    /// For each buffer, its bytes' range in `file`; empty for tensors without constant data.
    let buffers: [Range<Int>]

    init(bytes: [UInt8]) throws(TFLiteError) {
        let file = try FlatBuffer(bytes: bytes)
        guard file.fileIdentifier == "TFL3" else { throw .notTFLite }
        let model = try file.root("Model")
        let codes = try model.tables(1, "operator_codes").map { (table) throws(TFLiteError) in
            try TFLiteOperatorCode(table)
        }
        buffers = try model.tables(4, "buffers").map { (table) throws(TFLiteError) in try Self.range(of: table, in: file) }
        let subgraphs = try model.tables(2, "subgraphs")
        guard let graph = subgraphs.first else { throw .malformed("Model has no subgraphs") }

        tensors = try graph.tables(0, "tensors").enumerated().map { (index, table) throws(TFLiteError) in
            try TFLiteTensor(table, index: index)
        }
        let tensorCount = tensors.count
        func indices(_ table: FlatTable, _ id: Int, _ name: String) throws(TFLiteError) -> [Int] {
            let raw = try table.integers(id, name, as: Int32.self)
            for value in raw where value < -1 || Int(value) >= tensorCount {
                throw .malformed("\(table.path).\(name) refers to tensor \(value) of \(tensorCount)")
            }
            return raw.map(Int.init)
        }
        inputs = try indices(graph, 1, "inputs")
        outputs = try indices(graph, 2, "outputs")
        var operators: [TFLiteOperator] = []
        for (index, table) in try graph.tables(3, "operators").enumerated() {
            let opcodeIndex = Int(try table.scalar(0, "opcode_index", default: UInt32(0)))
            guard opcodeIndex < codes.count else {
                throw .malformed("\(table.path).opcode_index \(opcodeIndex) is past the \(codes.count) operator codes")
            }
            operators.append(TFLiteOperator(
                index: index, code: codes[opcodeIndex],
                inputs: try indices(table, 1, "inputs"), outputs: try indices(table, 2, "outputs"),
                options: try TFLiteOptions(table)))
        }
        for tensor in tensors where tensor.buffer >= buffers.count {
            throw .malformed("tensor \(tensor.index) (\(tensor.name)) uses buffer \(tensor.buffer) of \(buffers.count)")
        }
        self.operators = operators
        self.file = file
    }

    /// A buffer's bytes: inline `data`, or for models past 2 GB an `offset`/`size` pair from the file start.
    static func range(of buffer: FlatTable, in file: FlatBuffer) throws(TFLiteError) -> Range<Int> {
        if let data = try buffer.vector(0, "data", elementSize: 1) {
            return data.start..<(data.start + data.count)
        }
        let offset = try buffer.scalar(1, "offset", default: UInt64(0))
        let size = try buffer.scalar(2, "size", default: UInt64(0))
        // The schema uses offset 0 or 1 for "no external data".
        guard offset > 1 else { return 0..<0 }
        let count = UInt64(file.bytes.count)
        guard offset <= count, size <= count - offset else {
            throw .truncated("\(buffer.path): \(size) bytes at offset \(offset) run past the end of the \(count)-byte file")
        }
        return Int(offset)..<Int(offset + size)
    }

    /// The constant bytes behind `tensor`, or nil when it has none (an activation).
    func data(of tensor: TFLiteTensor) -> ArraySlice<UInt8>? {
        let range = buffers[tensor.buffer]
        return range.isEmpty ? nil : file.bytes[range]
    }
}

/// `OperatorCode`: which builtin (or custom) operator an operator runs.
struct TFLiteOperatorCode: Sendable, Equatable {
    /// The `BuiltinOperator` value; the larger of `builtin_code` and `deprecated_builtin_code`,
    /// since old files fill only the latter and new ones keep it at most 127.
    let builtin: Int32
    let custom: String?

    init(_ table: FlatTable) throws(TFLiteError) {
        let deprecated = Int32(try table.scalar(0, "deprecated_builtin_code", default: Int8(0)))
        custom = try table.string(1, "custom_code")
        builtin = max(deprecated, try table.scalar(3, "builtin_code", default: Int32(0)))
    }

    static let add: Int32 = 0, conv2D: Int32 = 3, depthwiseConv2D: Int32 = 4, dequantize: Int32 = 6
    static let fullyConnected: Int32 = 9, reshape: Int32 = 22, softmax: Int32 = 25, pad: Int32 = 34
    static let mean: Int32 = 40, custom: Int32 = 32

    /// The schema's name for the operator, for error messages.
    var name: String {
        if builtin == Self.custom { return "CUSTOM(\(custom ?? "?"))" }
        let names: [Int32: String] = [
            Self.add: "ADD", 1: "AVERAGE_POOL_2D", 2: "CONCATENATION", Self.conv2D: "CONV_2D",
            Self.depthwiseConv2D: "DEPTHWISE_CONV_2D", Self.dequantize: "DEQUANTIZE",
            Self.fullyConnected: "FULLY_CONNECTED", 14: "LOGISTIC", 17: "MAX_POOL_2D", 18: "MUL", 19: "RELU",
            21: "RELU6", Self.reshape: "RESHAPE", Self.softmax: "SOFTMAX", Self.pad: "PAD", Self.mean: "MEAN",
            41: "SUB", 60: "PADV2", 114: "QUANTIZE",
        ]
        return names[builtin] ?? "builtin operator \(builtin)"
    }
}

/// `Operator`: one node of the graph.
struct TFLiteOperator: Sendable {
    let index: Int
    let code: TFLiteOperatorCode
    /// Tensor indices; -1 marks an omitted optional input.
    let inputs: [Int]
    let outputs: [Int]
    let options: TFLiteOptions
}

/// The builtin options the mapping checks, read from whichever options table the operator carries
/// (`Conv2DOptions`, `DepthwiseConv2DOptions`, `FullyConnectedOptions`, `AddOptions`); absent fields
/// keep the schema's defaults.
struct TFLiteOptions: Sendable, Equatable {
    /// `Padding` and `ActivationFunctionType` values the mapping compares against.
    static let same: Int8 = 0, valid: Int8 = 1, noActivation: Int8 = 0, relu6: Int8 = 3

    var padding: Int8 = 0
    var strideH: Int32 = 0
    var strideW: Int32 = 0
    var depthMultiplier: Int32 = 0
    var activation: Int8 = 0
    var dilationH: Int32 = 1
    var dilationW: Int32 = 1

    init(_ op: FlatTable) throws(TFLiteError) {
        let type = try op.scalar(3, "builtin_options_type", default: UInt8(0))
        guard let table = try op.table(4, "builtin_options") else { return }
        switch type {
        case 1:  // Conv2DOptions
            padding = try table.scalar(0, "padding", default: Int8(0))
            strideW = try table.scalar(1, "stride_w", default: Int32(0))
            strideH = try table.scalar(2, "stride_h", default: Int32(0))
            activation = try table.scalar(3, "fused_activation_function", default: Int8(0))
            dilationW = try table.scalar(4, "dilation_w_factor", default: Int32(1))
            dilationH = try table.scalar(5, "dilation_h_factor", default: Int32(1))
        case 2:  // DepthwiseConv2DOptions
            padding = try table.scalar(0, "padding", default: Int8(0))
            strideW = try table.scalar(1, "stride_w", default: Int32(0))
            strideH = try table.scalar(2, "stride_h", default: Int32(0))
            depthMultiplier = try table.scalar(3, "depth_multiplier", default: Int32(0))
            activation = try table.scalar(4, "fused_activation_function", default: Int8(0))
            dilationW = try table.scalar(5, "dilation_w_factor", default: Int32(1))
            dilationH = try table.scalar(6, "dilation_h_factor", default: Int32(1))
        case 8, 11:  // FullyConnectedOptions, AddOptions: the activation comes first in both
            activation = try table.scalar(0, "fused_activation_function", default: Int8(0))
        default:
            break
        }
    }
}
