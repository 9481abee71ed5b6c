/// The compact binary form partial accumulators travel in (for example from Spark partitions).
///
/// Layout (all little-endian; docs/pca-model.md):
///
///     "ORCHCOV1"                 8 bytes magic (format version 1)
///     dimension d                UInt32, 1...maxDimension
///     reserved                   UInt32, 0
///     count n                    UInt64
///     if n > 0:
///       shift                    d × Float64
///       Σ(x − shift)             d × Float64
///       Σ(x − shift)(x − shift)ᵀ upper triangle, row by row: d(d+1)/2 × Float64
///     CRC-32 (IEEE)              UInt32 over every byte before it
///
/// Buffered rows are flushed first, so the bytes never hold raw rows. For d = 1280 this is 6.6 MB.
extension CovarianceAccumulator {
    static let magic = "ORCHCOV1"
    static let what = "covariance accumulator"

    /// The accumulator as self-checking bytes (see the layout above).
    public func serialized() -> [UInt8] {
        let done = flushed()
        let d = dimension
        let packed = d * (d + 1) / 2
        var writer = ByteWriter(capacity: 32 + 8 * (2 * d + packed))
        writer.append(magic: Self.magic)
        writer.append(UInt32(d))
        writer.append(UInt32(0))
        writer.append(UInt64(done.flushedCount))
        if done.flushedCount > 0 {
            writer.append(doubles: done.shift)
            writer.append(doubles: done.shiftedSum)
            for i in 0..<d { writer.append(doubles: done.crossProducts[(i * d + i)..<(i * d + d)]) }
        }
        return writer.sealed()
    }

    /// Reads bytes written by `serialized()`, checking the checksum and every size.
    public init(serialized bytes: [UInt8]) throws {
        var reader = try ByteReader(checked: bytes, what: Self.what)
        try reader.expect(magic: Self.magic)
        let d = Int(try reader.readUInt32())
        guard (1...Self.maxDimension).contains(d) else { throw reader.fail("dimension \(d) out of range") }
        guard try reader.readUInt32() == 0 else { throw reader.fail("reserved field is not zero") }
        let count = try reader.readUInt64()
        guard count <= UInt64(Int.max) else { throw reader.fail("count \(count) out of range") }
        try self.init(dimension: d)
        if count > 0 {
            // Check the exact length before allocating anything sized by the header.
            let packed = d * (d + 1) / 2
            guard reader.remaining == 8 * (2 * d + packed) else {
                throw reader.fail("expected \(8 * (2 * d + packed)) bytes of sums, found \(reader.remaining)")
            }
            shift = try reader.readDoubles(d, field: "shift")
            shiftedSum = try reader.readDoubles(d, field: "sum")
            let upper = try reader.readDoubles(packed, field: "cross products")
            var k = 0
            for i in 0..<d {
                for j in i..<d {
                    crossProducts[i * d + j] = upper[k]
                    k += 1
                }
            }
            flushedCount = Int(count)
        }
        try reader.expectEnd()
    }
}
