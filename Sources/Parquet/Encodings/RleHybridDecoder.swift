/// Decodes the RLE/bit-packed hybrid from a byte range, checking every run against the bytes present.
struct RleHybridDecoder {
    private let bytes: [UInt8]
    private var position: Int
    private let end: Int
    let bitWidth: Int

    init(bytes: [UInt8], range: Range<Int>, bitWidth: Int) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = min(range.upperBound, bytes.count)
        self.bitWidth = bitWidth
    }

    private func fail(_ what: String) -> ParquetError { .malformed("RLE/bit-packed data: \(what)", offset: nil) }

    private mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw fail("truncated run header") }
            let b = bytes[position]
            position += 1
            result |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw fail("run header too long") }
        }
    }

    /// Appends `count` values to `out`, each checked to be ≤ `maxValue`.
    mutating func decode<T: FixedWidthInteger & UnsignedInteger>(count: Int, into out: inout [T],
                                                                 maxValue: UInt32) throws {
        guard bitWidth <= 32 else { throw fail("bit width \(bitWidth) > 32") }
        var left = count
        out.reserveCapacity(out.count + count)
        while left > 0 {
            let header = try readVarint()
            if header & 1 == 0 {
                let run = header >> 1
                guard run > 0 else { throw fail("empty run") }
                let width = (bitWidth + 7) / 8
                guard end - position >= width else { throw fail("truncated run value") }
                var v: UInt32 = 0
                for i in 0..<width { v |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
                position += width
                guard v <= maxValue else { throw fail("value \(v) above \(maxValue)") }
                let n = Int(min(run, UInt64(left)))
                out.append(contentsOf: repeatElement(T(truncatingIfNeeded: v), count: n))
                left -= n
            } else {
                let groups = header >> 1
                // Each group of 8 values takes bitWidth bytes; at width 0 (a one-value dictionary, which
                // parquet-mr writes as bit-packed runs) none at all, so only the values asked for bound it.
                guard bitWidth == 0 || groups <= UInt64(end - position) else { throw fail("literal run beyond the data") }
                let byteCount = bitWidth == 0 ? 0 : Int(groups) * bitWidth
                guard byteCount <= end - position else { throw fail("literal run beyond the data") }
                let n = groups >= UInt64((left + 7) / 8) ? left : Int(groups) * 8
                try unpack(count: n, into: &out, maxValue: maxValue)
                position += byteCount
                left -= n
            }
        }
    }

    private func unpack<T: FixedWidthInteger & UnsignedInteger>(count: Int, into out: inout [T],
                                                               maxValue: UInt32) throws {
        if bitWidth == 0 {
            out.append(contentsOf: repeatElement(0, count: count))
            return
        }
        let mask: UInt64 = (1 << UInt64(bitWidth)) - 1
        var acc: UInt64 = 0
        var bits = 0
        var p = position
        var bad = false
        for _ in 0..<count {
            while bits < bitWidth {
                acc |= UInt64(bytes[p]) << UInt64(bits)
                p += 1
                bits += 8
            }
            let v = acc & mask
            acc >>= UInt64(bitWidth)
            bits -= bitWidth
            if v > UInt64(maxValue) { bad = true }
            out.append(T(truncatingIfNeeded: v))
        }
        if bad { throw fail("value above \(maxValue)") }
    }
}
