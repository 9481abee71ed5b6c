/// Appends little-endian integers and float64 arrays to a byte buffer, then seals it with a CRC-32.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func append(magic: String) { bytes.append(contentsOf: Array(magic.utf8)) }

    mutating func append(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append<C: Collection>(doubles: C) where C.Element == Double {
        for value in doubles { append(value.bitPattern) }
    }

    /// Appends the CRC-32 of everything written so far and returns the finished buffer.
    mutating func sealed() -> [UInt8] {
        let crc = bytes.withUnsafeBytes { CRC32.checksum($0) }
        append(crc)
        return bytes
    }
}
