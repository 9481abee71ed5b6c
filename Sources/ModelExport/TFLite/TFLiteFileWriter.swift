// Writes a `TFLiteGraph` as a TFLite file: one `Model` flatbuffer (tensorflow/lite/schema/schema.fbs,
// schema version 3, identifier "TFL3") with one subgraph. Each function writes one schema table; its
// field ids are the table's declaration order, quoted above it.

/// Serialises a graph, its description, metadata entries and one signature into TFLite bytes.
struct TFLiteFileWriter {
    /// `table Metadata`: a named buffer for tools and apps (the runtime ignores it).
    struct Metadata: Sendable {
        let name: String
        let buffer: Int
    }

    /// `table SignatureDef`: names the app's code uses for the input and output tensors.
    struct Signature: Sendable {
        let key: String
        let inputs: [(name: String, tensor: Int)]
        let outputs: [(name: String, tensor: Int)]
    }

    private var builder = FlatBufferBuilder(initialCapacity: 1 << 20)

    /// The whole file. Buffers are written first, so they end up last in the file as the converter lays them out.
    static func write(_ graph: TFLiteGraph, description: String, metadata: [Metadata], signature: Signature)
        throws(ModelExportError) -> [UInt8]
    {
        var writer = TFLiteFileWriter()
        var buffers: [FlatOffset] = []
        for bytes in graph.buffers { buffers.append(try writer.buffer(bytes)) }
        let codes = Self.operatorCodes(graph)
        let subgraph = try writer.subgraph(graph, codes: codes)
        let model = try writer.model(
            codes: codes, subgraph: subgraph, description: description, buffers: buffers, metadata: metadata,
            signature: signature)
        return try writer.builder.finish(root: model, identifier: TFLiteSchema.fileIdentifier)
    }

    /// The distinct operators in order of first use; an operator's `opcode_index` is its position here.
    private static func operatorCodes(_ graph: TFLiteGraph) -> [BuiltinOperator] {
        var codes: [BuiltinOperator] = []
        for op in graph.operators where !codes.contains(op.code) { codes.append(op.code) }
        return codes
    }

    // table Model { version:uint; operator_codes:[OperatorCode]; subgraphs:[SubGraph]; description:string;
    //   buffers:[Buffer]; metadata_buffer:[int]; metadata:[Metadata]; signature_defs:[SignatureDef]; }
    private mutating func model(
        codes: [BuiltinOperator], subgraph: FlatOffset, description: String, buffers: [FlatOffset],
        metadata: [Metadata], signature: Signature
    ) throws(ModelExportError) -> FlatOffset {
        var codeTables: [FlatOffset] = []
        for code in codes { codeTables.append(try operatorCode(code)) }
        var metadataTables: [FlatOffset] = []
        for entry in metadata { metadataTables.append(try self.metadata(entry)) }
        let signatureTable = try signatureDef(signature)
        let codeVector = try builder.vector(codeTables)
        let subgraphs = try builder.vector([subgraph])
        let descriptionString = try builder.string(description)
        let bufferVector = try builder.vector(buffers)
        let metadataVector = try builder.vector(metadataTables)
        let signatures = try builder.vector([signatureTable])
        return try builder.table([
            .uint32(0, TFLiteSchema.version), .offset(1, codeVector), .offset(2, subgraphs), .offset(3, descriptionString),
            .offset(4, bufferVector), .offset(6, metadataVector), .offset(7, signatures),
        ])
    }

    // table OperatorCode { deprecated_builtin_code:byte; custom_code:string; version:int = 1; builtin_code:BuiltinOperator; }
    // Readers take the larger of the two codes; below 127 both must hold the code.
    private mutating func operatorCode(_ code: BuiltinOperator) throws(ModelExportError) -> FlatOffset {
        try builder.table([.int8(0, Int8(code.rawValue)), .int32(2, 1), .int32(3, code.rawValue)])
    }

    // table SubGraph { tensors:[Tensor]; inputs:[int]; outputs:[int]; operators:[Operator]; name:string; }
    private mutating func subgraph(_ graph: TFLiteGraph, codes: [BuiltinOperator]) throws(ModelExportError) -> FlatOffset {
        var tensors: [FlatOffset] = []
        for tensor in graph.tensors { tensors.append(try self.tensor(tensor)) }
        var operators: [FlatOffset] = []
        for op in graph.operators {
            operators.append(try self.operator(op, opcodeIndex: UInt32(codes.firstIndex(of: op.code) ?? 0)))
        }
        let tensorVector = try builder.vector(tensors)
        let inputs = try builder.vector(graph.inputs.map { Int32($0) })
        let outputs = try builder.vector(graph.outputs.map { Int32($0) })
        let operatorVector = try builder.vector(operators)
        let name = try builder.string("main")
        return try builder.table([
            .offset(0, tensorVector), .offset(1, inputs), .offset(2, outputs), .offset(3, operatorVector), .offset(4, name),
        ])
    }

    // table Tensor { shape:[int]; type:TensorType; buffer:uint; name:string; ... }
    private mutating func tensor(_ tensor: TFLiteGraph.Tensor) throws(ModelExportError) -> FlatOffset {
        let shape = try builder.vector(tensor.shape.map { Int32($0) })
        let name = try builder.string(tensor.name)
        return try builder.table([.offset(0, shape), .int8(1, tensor.type.rawValue), .uint32(2, UInt32(tensor.buffer)), .offset(3, name)])
    }

    // table Buffer { data:[ubyte] (force_align: 16); ... } — buffer 0 and other empty buffers have no data.
    private mutating func buffer(_ bytes: [UInt8]) throws(ModelExportError) -> FlatOffset {
        guard !bytes.isEmpty else { return try builder.table([]) }
        let data = try builder.bytes(bytes, alignment: TFLiteSchema.bufferAlignment)
        return try builder.table([.offset(0, data)])
    }

    // table Operator { opcode_index:uint; inputs:[int]; outputs:[int]; builtin_options_type:BuiltinOptions (union tag);
    //   builtin_options:BuiltinOptions; ... }
    private mutating func `operator`(_ op: TFLiteGraph.Operator, opcodeIndex: UInt32) throws(ModelExportError) -> FlatOffset {
        let options = try builtinOptions(op.options)
        let inputs = try builder.vector(op.inputs.map { Int32($0) })
        let outputs = try builder.vector(op.outputs.map { Int32($0) })
        return try builder.table([
            .uint32(0, opcodeIndex), .offset(1, inputs), .offset(2, outputs), .uint8(3, op.options.type), .offset(4, options),
        ])
    }

    private mutating func builtinOptions(_ options: BuiltinOptions) throws(ModelExportError) -> FlatOffset {
        switch options {
        // table Conv2DOptions { padding; stride_w; stride_h; fused_activation_function; dilation_w_factor = 1; dilation_h_factor = 1; }
        case .conv2D(let padding, let stride, let activation):
            try builder.table([
                .int8(0, padding.rawValue), .int32(1, stride), .int32(2, stride), .int8(3, activation.rawValue),
                .int32(4, 1), .int32(5, 1),
            ])
        // table DepthwiseConv2DOptions { padding; stride_w; stride_h; depth_multiplier; fused_activation_function;
        //   dilation_w_factor = 1; dilation_h_factor = 1; }
        case .depthwiseConv2D(let padding, let stride, let depthMultiplier, let activation):
            try builder.table([
                .int8(0, padding.rawValue), .int32(1, stride), .int32(2, stride), .int32(3, depthMultiplier),
                .int8(4, activation.rawValue), .int32(5, 1), .int32(6, 1),
            ])
        // table FullyConnectedOptions { fused_activation_function; weights_format = DEFAULT; ... }
        case .fullyConnected(let activation):
            try builder.table([.int8(0, activation.rawValue)])
        // table SoftmaxOptions { beta:float; }
        case .softmax(let beta):
            try builder.table([.float(0, beta)])
        // table AddOptions { fused_activation_function; ... }
        case .add(let activation):
            try builder.table([.int8(0, activation.rawValue)])
        // table ReducerOptions { keep_dims:bool; }
        case .reducer(let keepDims):
            try builder.table([.bool(0, keepDims)])
        }
    }

    // table Metadata { name:string; buffer:uint; }
    private mutating func metadata(_ entry: Metadata) throws(ModelExportError) -> FlatOffset {
        let name = try builder.string(entry.name)
        return try builder.table([.offset(0, name), .uint32(1, UInt32(entry.buffer))])
    }

    // table SignatureDef { inputs:[TensorMap]; outputs:[TensorMap]; signature_key:string; deprecated_tag (id 3);
    //   subgraph_index:uint; }
    private mutating func signatureDef(_ signature: Signature) throws(ModelExportError) -> FlatOffset {
        var inputs: [FlatOffset] = []
        for entry in signature.inputs { inputs.append(try tensorMap(entry.name, entry.tensor)) }
        var outputs: [FlatOffset] = []
        for entry in signature.outputs { outputs.append(try tensorMap(entry.name, entry.tensor)) }
        let inputVector = try builder.vector(inputs)
        let outputVector = try builder.vector(outputs)
        let key = try builder.string(signature.key)
        return try builder.table([.offset(0, inputVector), .offset(1, outputVector), .offset(2, key), .uint32(4, 0)])
    }

    // table TensorMap { name:string; tensor_index:uint; }
    private mutating func tensorMap(_ name: String, _ tensor: Int) throws(ModelExportError) -> FlatOffset {
        let nameString = try builder.string(name)
        return try builder.table([.offset(0, nameString), .uint32(1, UInt32(tensor))])
    }
}
