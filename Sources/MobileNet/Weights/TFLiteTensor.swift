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
            return bytes.withUnsafeBytes { raw in
                (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
            }
        case Self.float16:
            return bytes.withUnsafeBytes { raw in
                (0..<count).map { Self.widen(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))) }
            }
        default:
            let start = bytes.startIndex
            if type == Self.int8 {
                return try dequantise(count: count) { Int64(Int8(bitPattern: bytes[start + $0])) }
            }
            return try dequantise(count: count) { Int64(bytes[start + $0]) }
        }
    }

    /// (q - zero_point[c]) * scale[c], where c is the element's index along `quantizedDimension`
    /// when there is one scale per channel and 0 when one scale serves the whole tensor.
    private func dequantise(count: Int, quantized: (Int) -> Int64) throws(TFLiteError) -> [Float] {
        guard !scale.isEmpty else {
            throw .unsupportedType(tensor: name, type: "\(typeName) without quantisation scales")
        }
        guard count > 0 else { return [] }
        // An 8-bit zero point outside ±256 is corrupt, and would overflow the subtraction below.
        guard zeroPoint.allSatisfy({ (-256...256).contains($0) }) else {
            throw .malformed("tensor \(name) has zero points out of the 8-bit range")
        }
        var channels = 1
        var stride = 1  // elements between consecutive channels
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
        return (0..<count).map { index in
            let channel = channels == 1 ? 0 : (index / stride) % channels
            let zero = zeroPoint.isEmpty ? 0 : zeroPoint[zeroPoint.count == 1 ? 0 : channel]
            return Float(quantized(index) - zero) * scale[channel]
        }
    }

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
