/// `Tensor` from the TFLite schema: shape, element type, buffer and quantisation of one graph tensor,
/// and the decoding of its constant bytes into floats.
struct TFLiteTensor: Sendable {
    let index: Int
    let name: String
    /// Dimensions as stored; only constants are checked (non-negative, product matching the bytes).
    let shape: [Int]
    /// The `TensorType` value.
    let type: Int8
    let buffer: Int
    /// Per-tensor (one value) or per-channel scales; empty when the tensor is not quantised.
    let scale: [Float]
    let zeroPoint: [Int64]
    /// The axis `scale` runs along when there is one scale per channel.
    let quantizedDimension: Int

    static let float32: Int8 = 0, float16: Int8 = 1, int32: Int8 = 2, uint8: Int8 = 3, int8: Int8 = 9

    init(_ table: FlatTable, index: Int) throws(TFLiteError) {
        self.index = index
        shape = try table.integers(0, "shape", as: Int32.self).map(Int.init)
        type = try table.scalar(1, "type", default: Int8(0))
        buffer = Int(try table.scalar(2, "buffer", default: UInt32(0)))
        name = try table.string(3, "name") ?? "tensor \(index)"
        if let quantization = try table.table(4, "quantization") {
            scale = try quantization.floats(2, "scale")
            zeroPoint = try quantization.integers(3, "zero_point", as: Int64.self)
            quantizedDimension = Int(try quantization.scalar(6, "quantized_dimension", default: Int32(0)))
        } else {
            scale = []
            zeroPoint = []
            quantizedDimension = 0
        }
    }

    /// The schema's name for `type`, for error messages.
    var typeName: String {
        let names: [Int8: String] = [
            0: "FLOAT32", 1: "FLOAT16", 2: "INT32", 3: "UINT8", 4: "INT64", 5: "STRING", 6: "BOOL", 7: "INT16",
            9: "INT8", 10: "FLOAT64", 17: "INT4", 18: "BFLOAT16",
        ]
        return names[type] ?? "type \(type)"
    }

    /// The number of elements `shape` describes, checked for negative dimensions and overflow.
    func elementCount() throws(TFLiteError) -> Int {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { throw .malformed("tensor \(name) has shape \(shape)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw .malformed("tensor \(name) has shape \(shape), too many elements") }
            count = product
        }
        return count
    }

    /// The constant `bytes` as floats in the tensor's own layout: float32 as stored, float16 widened,
    /// int8/uint8 dequantised as (q - zero_point) * scale, per channel along `quantizedDimension`.
    func floats(from bytes: ArraySlice<UInt8>) throws(TFLiteError) -> [Float] {
        let count = try elementCount()
        let width: Int
        switch type {
        case Self.float32: width = 4
        case Self.float16: width = 2
        case Self.int8, Self.uint8: width = 1
        default: throw .unsupportedType(tensor: name, type: typeName)
        }
        // Compare by division: `count * width` could overflow for a hostile shape.
        guard bytes.count % width == 0, bytes.count / width == count else {
            throw .malformed("tensor \(name) of shape \(shape) and type \(typeName) has \(bytes.count) bytes of data")
        }
        switch type {
        case Self.float32:
            return Self.decode(bytes, count: count) { raw, index in
                Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
            }
        case Self.float16:
            return Self.decode(bytes, count: count) { raw, index in
                Self.widen(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self)))
            }
        default:
            return try dequantise(bytes, count: count, signed: type == Self.int8)
        }
    }

    /// (q - zero_point[c]) * scale[c], where c is the element's index along `quantizedDimension`
    /// when there is one scale per channel and 0 when one scale serves the whole tensor.
    private func dequantise(_ bytes: ArraySlice<UInt8>, count: Int, signed: Bool) throws(TFLiteError) -> [Float] {
        guard !scale.isEmpty else {
            throw .unsupportedType(tensor: name, type: "\(typeName) without quantisation scales")
        }
        guard count > 0 else { return [] }
        var channels = 1
        var stride = count  // elements between consecutive channels
        if scale.count > 1 {
            guard quantizedDimension >= 0, quantizedDimension < shape.count, shape[quantizedDimension] == scale.count else {
                throw .malformed("tensor \(name) of shape \(shape) has \(scale.count) scales along dimension \(quantizedDimension)")
            }
            channels = scale.count
            stride = shape[(quantizedDimension + 1)...].reduce(1, *)
        }
        guard zeroPoint.isEmpty || zeroPoint.count == 1 || zeroPoint.count == channels else {
            throw .malformed("tensor \(name) has \(zeroPoint.count) zero points for \(channels) scales")
        }
        // An 8-bit zero point outside ±256 is corrupt, and would overflow the subtraction below.
        guard zeroPoint.allSatisfy({ (-256...256).contains($0) }) else {
            throw .malformed("tensor \(name) has zero points out of the 8-bit range")
        }
        let zeros = (0..<channels).map { zeroPoint.isEmpty ? Float(0) : Float(zeroPoint[zeroPoint.count == 1 ? 0 : $0]) }
        let scales = scale.count == 1 ? [scale[0]] : scale
        // Pointer loops: this runs over millions of weights, and debug builds are slow on closures.
        return [Float](unsafeUninitializedCapacity: count) { output, initialized in
            bytes.withUnsafeBytes { raw in
                zeros.withUnsafeBufferPointer { zeros in
                    scales.withUnsafeBufferPointer { scales in
                    (signed ? Self.int8Values : Self.uint8Values).withUnsafeBufferPointer { byteValue in
                        var index = 0
                        while index < count {
                            let channel = (index / stride) % channels
                            let end = index + min(stride - index % stride, count - index)
                            let (zero, factor) = (zeros[channel], scales[channel])
                            while index < end {
                                output[index] = (byteValue[Int(raw[index])] - zero) * factor
                                index += 1
                            }
                        }
                    }
                    }
                }
            }
            initialized = count
        }
    }

    /// `count` floats, element `index` read from `bytes` by `element`.
    private static func decode(
        _ bytes: ArraySlice<UInt8>, count: Int, _ element: (UnsafeRawBufferPointer, Int) -> Float
    ) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { output, initialized in
            bytes.withUnsafeBytes { raw in
                for index in 0..<count { output[index] = element(raw, index) }
            }
            initialized = count
        }
    }

    /// Each byte's value as int8 and as uint8, so the loop above is a table lookup.
    private static let int8Values = (0...255).map { Float(Int8(bitPattern: UInt8($0))) }
    private static let uint8Values = (0...255).map { Float($0) }

    /// IEEE 754 half → single precision, by bits (Swift's `Float16` is missing on Intel macOS).
    static func widen(_ half: UInt16) -> Float {
        let sign = UInt32(half & 0x8000) << 16
        let exponent = UInt32(half >> 10) & 0x1F
        let mantissa = UInt32(half & 0x3FF)
        if exponent == 0x1F {  // infinity or NaN
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        if exponent == 0 {  // zero or subnormal: mantissa × 2^-24
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }
}
