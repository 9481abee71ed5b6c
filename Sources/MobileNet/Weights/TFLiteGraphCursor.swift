/// Walks a TFLite graph's operators in order along the main activation path, consuming the operator
/// each MobileNetV2 layer needs and turning its constant inputs into Keras-layout folded weights.
///
/// DEQUANTIZE operators that only widen constant weights (float16 or int8 files) are folded into the
/// weights they feed; PAD operators before a stride-2 convolution (Keras's `correct_pad`) are skipped
/// after checking they pad by at most one pixel, since the runtime applies Keras's padding itself.
struct TFLiteGraphCursor {
    let model: TFLiteModel
    /// The tensor carrying the activation the next layer must read.
    private(set) var current: Int
    /// Operators still to consume, in file order, without the DEQUANTIZE ops of constant weights.
    private var pending: ArraySlice<TFLiteOperator>
    /// DEQUANTIZE output tensor → the constant tensor it widens.
    private let dequantized: [Int: Int]

    init(model: TFLiteModel) throws(TFLiteError) {
        guard model.inputs.count == 1, let input = model.inputs.first, input >= 0 else {
            throw .notMobileNetV2("the graph has \(model.inputs.count) inputs, expected one image")
        }
        let shape = model.tensors[input].shape
        guard shape.count == 4, shape[3] == 3 else {
            throw .notMobileNetV2("input \(model.tensors[input].name) has shape \(shape), expected [N, H, W, 3]")
        }
        var dequantized: [Int: Int] = [:]
        var kept: [TFLiteOperator] = []
        for op in model.operators {
            if op.code.builtin == TFLiteOperatorCode.dequantize, op.inputs.count == 1, op.outputs.count == 1,
               op.inputs[0] >= 0, op.outputs[0] >= 0, model.data(of: model.tensors[op.inputs[0]]) != nil {
                dequantized[op.outputs[0]] = op.inputs[0]
            } else {
                kept.append(op)
            }
        }
        self.model = model
        self.current = input
        self.pending = kept[...]
        self.dequantized = dequantized
    }

    /// Whether every operator has been consumed.
    var isAtEnd: Bool { pending.isEmpty }

    /// The next operator, if it is `builtin` and reads the current activation (without consuming it).
    func peek(_ builtin: Int32) -> TFLiteOperator? {
        guard let op = pending.first, op.code.builtin == builtin, op.inputs.contains(current) else { return nil }
        return op
    }

    /// Consumes the next operator, which must be `builtin` reading the current activation as input 0,
    /// and moves the activation to its output. PAD operators in front of `builtin` are skipped when
    /// `allowPad` (checked to pad only height and width, by at most one on each side).
    mutating func consume(_ builtin: Int32, for layer: String, allowPad: Bool = false) throws(TFLiteError) -> TFLiteOperator {
        if allowPad, let pad = pending.first, pad.code.builtin == TFLiteOperatorCode.pad {
            try checkPad(pad, for: layer)
            pending.removeFirst()
            try advance(through: pad, for: layer)
        }
        let expected = TFLiteOperatorCode(builtin: builtin).name
        guard let op = pending.first else {
            throw .notMobileNetV2("the graph ends where \(layer) needs \(expected)")
        }
        guard op.code.builtin == builtin else {
            throw .notMobileNetV2("op \(op.index) is \(op.code.name), expected \(expected) for \(layer)")
        }
        pending.removeFirst()
        try advance(through: op, for: layer)
        return op
    }

    /// Moves the activation through `op`, which must read it as input 0 and have one output.
    private mutating func advance(through op: TFLiteOperator, for layer: String) throws(TFLiteError) {
        guard op.inputs.first == current else {
            throw .notMobileNetV2("op \(op.index) (\(op.code.name), \(layer)) does not read the previous layer's output")
        }
        guard op.outputs.count == 1, op.outputs[0] >= 0 else {
            throw .notMobileNetV2("op \(op.index) (\(op.code.name), \(layer)) has \(op.outputs.count) outputs")
        }
        current = op.outputs[0]
    }

    /// Consumes a residual ADD of `shortcut` and the current activation.
    mutating func consumeAdd(shortcut: Int, for layer: String) throws(TFLiteError) {
        guard let op = pending.first, op.code.builtin == TFLiteOperatorCode.add else {
            let found = pending.first.map { "op \($0.index) is \($0.code.name)" } ?? "the graph ends"
            throw .notMobileNetV2("\(found), expected ADD for \(layer)'s shortcut")
        }
        guard Set(op.inputs) == [shortcut, current], op.inputs.count == 2, op.outputs.count == 1, op.outputs[0] >= 0 else {
            throw .notMobileNetV2("op \(op.index) (ADD, \(layer)) does not add the block's input to its projection")
        }
        guard op.options.activation == TFLiteOptions.noActivation else {
            throw .notMobileNetV2("op \(op.index) (ADD, \(layer)) has a fused activation")
        }
        pending.removeFirst()
        current = op.outputs[0]
    }

    private func checkPad(_ pad: TFLiteOperator, for layer: String) throws(TFLiteError) {
        guard pad.inputs.count >= 2, pad.inputs[1] >= 0 else {
            throw .notMobileNetV2("op \(pad.index) (PAD, \(layer)) has no paddings")
        }
        guard model.tensors[pad.inputs[1]].shape == [4, 2], let values = integerConstant(pad.inputs[1]), values.count == 8 else {
            throw .notMobileNetV2("op \(pad.index) (PAD, \(layer)) has paddings that are not a constant int32 [4, 2]")
        }
        let batchAndChannels = [values[0], values[1], values[6], values[7]]
        let spatial = values[2...5]
        guard batchAndChannels.allSatisfy({ $0 == 0 }), spatial.allSatisfy({ (0...1).contains($0) }) else {
            throw .notMobileNetV2("op \(pad.index) (PAD, \(layer)) pads by \(values), not Keras's correct_pad")
        }
    }

    /// The values of constant int32 tensor `index` (axes, paddings), or nil when it is not one.
    func integerConstant(_ index: Int) -> [Int32]? {
        guard index >= 0 else { return nil }
        let tensor = model.tensors[index]
        guard tensor.type == TFLiteTensor.int32, let bytes = model.data(of: tensor), bytes.count % 4 == 0,
              let count = try? tensor.elementCount(), count == bytes.count / 4 else { return nil }
        return bytes.withUnsafeBytes { raw in
            (0..<count).map { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self)) }
        }
    }

    /// The floats of constant input `position` of `op`, in the tensor's TFLite layout, with its shape.
    func constant(_ op: TFLiteOperator, input position: Int, layer: String, weight: String) throws(TFLiteError) -> (shape: [Int], values: [Float]) {
        guard position < op.inputs.count, op.inputs[position] >= 0 else {
            throw .missingWeight(layer: layer, weight: weight)
        }
        var tensor = model.tensors[op.inputs[position]]
        if model.data(of: tensor) == nil, let source = dequantized[tensor.index] {
            let widened = model.tensors[source]
            guard widened.shape == tensor.shape else {
                throw .malformed("DEQUANTIZE of \(widened.name) changes shape \(widened.shape) to \(tensor.shape)")
            }
            tensor = widened
        }
        guard let bytes = model.data(of: tensor) else { throw .missingWeight(layer: layer, weight: weight) }
        return (tensor.shape, try tensor.floats(from: bytes))
    }
}

extension TFLiteOperatorCode {
    /// A code for naming an expected operator in error messages.
    init(builtin: Int32) {
        self.builtin = builtin
        self.custom = nil
    }
}
