// PLAIN encoding (parquet-format Encodings.md, "Plain = 0"): little-endian fixed-width values, booleans
// bit-packed LSB first, byte arrays as a 4-byte little-endian length followed by the bytes.

/// Appends PLAIN-encoded values to a page buffer.
enum PlainEncoder {
    /// Appends fixed-width values `values[range]`, skipping slots whose `validity` is false.
    static func appendFixed<T: BitwiseCopyable>(_ values: [T], range: Range<Int>, validity: [Bool]?,
                                                to out: inout [UInt8]) {
        guard let validity else {
            values.withUnsafeBufferPointer { buffer in
                out.append(contentsOf: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[range])))
            }
            return
        }
        for i in range where validity[i] {
            withUnsafeBytes(of: values[i]) { out.append(contentsOf: $0) }
        }
    }

    /// Appends booleans bit-packed, LSB first.
    static func appendBooleans(_ values: [Bool], range: Range<Int>, validity: [Bool]?, to out: inout [UInt8]) {
        var acc: UInt8 = 0
        var bits: UInt8 = 0
        for i in range where validity?[i] ?? true {
            if values[i] { acc |= 1 << bits }
            bits += 1
            if bits == 8 {
                out.append(acc)
                acc = 0
                bits = 0
            }
        }
        if bits > 0 { out.append(acc) }
    }

    /// Appends byte arrays (slot i is `bytes[offsets[i]..<offsets[i+1]]`), each with its 4-byte length.
    static func appendByteArrays(_ bytes: [UInt8], offsets: [Int], range: Range<Int>, validity: [Bool]?,
                                 to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { source in
            for i in range where validity?[i] ?? true {
                let start = offsets[i], end = offsets[i + 1]
                withUnsafeBytes(of: UInt32(end - start).littleEndian) { out.append(contentsOf: $0) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<end]))
            }
        }
    }
}
