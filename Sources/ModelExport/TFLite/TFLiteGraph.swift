/// One TFLite subgraph being assembled: tensors, operators in execution order, and the buffers that
/// hold constant data. Values only; `TFLiteFileWriter` turns it into a flatbuffer.
struct TFLiteGraph: Sendable {
    /// `table Tensor`: shape, element type, and the buffer holding its data (0 for activations).
    struct Tensor: Sendable {
        let name: String
        let shape: [Int]
        let type: TensorType
        let buffer: Int
    }

    /// `table Operator`: a builtin operator reading and writing tensors by index.
    struct Operator: Sendable {
        let code: BuiltinOperator
        let inputs: [Int]
        let outputs: [Int]
        let options: BuiltinOptions
    }

    private(set) var tensors: [Tensor] = []
    private(set) var operators: [Operator] = []
    /// Buffer 0 is the schema's always-present empty buffer, which every activation points at.
    private(set) var buffers: [[UInt8]] = [[]]
    /// The subgraph's input and output tensors.
    var inputs: [Int] = []
    var outputs: [Int] = []

    /// A float32 constant (weights, biases) in its own buffer; returns the tensor index.
    mutating func constant(_ name: String, shape: [Int], floats: [Float]) -> Int {
        precondition(shape.reduce(1, *) == floats.count, "\(name): shape \(shape) for \(floats.count) values")
        return append(Tensor(name: name, shape: shape, type: .float32, buffer: buffer(Self.littleEndianBytes(floats))))
    }

    /// An int32 constant (axes) in its own buffer; returns the tensor index.
    mutating func constant(_ name: String, shape: [Int], integers: [Int32]) -> Int {
        precondition(shape.reduce(1, *) == integers.count, "\(name): shape \(shape) for \(integers.count) values")
        let bytes = integers.flatMap { FlatBufferBuilder.littleEndianBytes(of: $0) }
        return append(Tensor(name: name, shape: shape, type: .int32, buffer: buffer(bytes)))
    }

    /// A float32 tensor the interpreter computes; returns its index.
    mutating func activation(_ name: String, shape: [Int]) -> Int {
        append(Tensor(name: name, shape: shape, type: .float32, buffer: 0))
    }

    /// Appends an operator; operators run in the order they are appended.
    mutating func append(_ code: BuiltinOperator, inputs: [Int], outputs: [Int], options: BuiltinOptions) {
        precondition((inputs + outputs).allSatisfy { tensors.indices.contains($0) }, "\(code) refers to a missing tensor")
        operators.append(Operator(code: code, inputs: inputs, outputs: outputs, options: options))
    }

    /// A buffer not tied to a tensor (metadata); returns its index.
    mutating func buffer(_ bytes: [UInt8]) -> Int {
        buffers.append(bytes)
        return buffers.count - 1
    }

    private mutating func append(_ tensor: Tensor) -> Int {
        tensors.append(tensor)
        return tensors.count - 1
    }

    /// Floats as little-endian IEEE 754 bytes, the layout TFLite buffers assume.
    static func littleEndianBytes(_ values: [Float]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: values.count * 4)
        bytes.withUnsafeMutableBytes { raw in
            values.withUnsafeBufferPointer { source in
                // A while loop: this runs over millions of weights, and debug builds crawl through ranges.
                var index = 0
                while index < source.count {
                    raw.storeBytes(of: source[index].bitPattern.littleEndian, toByteOffset: 4 * index, as: UInt32.self)
                    index += 1
                }
            }
        }
        return bytes
    }
}
