/// Reads little-endian values from a buffer, throwing `malformedData` (with the offset) past its end.
struct ByteReader {
    let bytes: [UInt8]
    /// What is being read, for error messages ("PCA model", "covariance accumulator").
    let what: String
    private(set) var offset = 0

    /// Checks the trailing CRC-32 and gives a reader over the content before it.
    init(checked bytes: [UInt8], what: String) throws {
        guard bytes.count >= 4 else {
            throw LinearAlgebraError.malformedData(what: what, offset: 0, reason: "shorter than its checksum")
        }
        let body = bytes.count - 4
        let stored = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[body + $1]) << (8 * $1) }
        let actual = bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[..<body])) }
        guard stored == actual else {
            throw LinearAlgebraError.checksumMismatch(what: what, expected: stored, actual: actual)
        }
        self.bytes = Array(bytes[..<body])
        self.what = what
    }

    var remaining: Int { bytes.count - offset }

    func fail(_ reason: String) -> LinearAlgebraError {
        .malformedData(what: what, offset: offset, reason: reason)
    }

    mutating func expect(magic: String) throws {
        let expected = Array(magic.utf8)
        guard remaining >= expected.count, Array(bytes[offset..<offset + expected.count]) == expected else {
            throw fail("not a \(what) (magic \(magic) missing)")
        }
        offset += expected.count
    }

    mutating func readUInt32() throws -> UInt32 {
        guard remaining >= 4 else { throw fail("truncated (UInt32)") }
        let value = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
        offset += 4
        return value
    }

    mutating func readUInt64() throws -> UInt64 {
        guard remaining >= 8 else { throw fail("truncated (UInt64)") }
        let value = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
        offset += 8
        return value
    }

    /// Reads `count` float64 values, rejecting NaN and infinities (none of our arrays may hold them).
    mutating func readDoubles(_ count: Int, field: String) throws -> [Double] {
        guard count >= 0, remaining / 8 >= count else { throw fail("truncated (\(field): \(count) float64 values)") }
        let start = offset
        let values = bytes.withUnsafeBytes { raw in
            (0..<count).map { i in
                Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start + 8 * i, as: UInt64.self)))
            }
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw LinearAlgebraError.malformedData(
                what: what, offset: start + 8 * bad, reason: "\(field) holds a non-finite value")
        }
        offset += 8 * count
        return values
    }

    /// Fails unless every byte has been consumed.
    func expectEnd() throws {
        guard remaining == 0 else { throw fail("\(remaining) unexpected trailing bytes") }
    }
}
