/// Decodes PLAIN values from a page's byte range; counts are checked against the bytes present first.
struct PlainDecoder {
    private let bytes: [UInt8]
    private(set) var position: Int
    private let end: Int

    init(bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = min(range.upperBound, bytes.count)
    }

    private func fail(_ what: String) -> ParquetError { .malformed("PLAIN values: \(what)", offset: nil) }

    /// Decodes `count` values of `type` (`typeLength` for FIXED_LEN_BYTE_ARRAY).
    mutating func decode(_ type: PhysicalType, typeLength: Int, count: Int) throws -> DenseValues {
        switch type {
        case .boolean: return .booleans(try booleans(count))
        case .int32: return .int32s(try fixed(count, as: Int32.self))
        case .int64: return .int64s(try fixed(count, as: Int64.self))
        case .float: return .floats(try fixed(count, as: Float.self))
        case .double: return .doubles(try fixed(count, as: Double.self))
        case .int96: return .int64s(try int96Micros(count))
        case .byteArray: return try byteArrays(count)
        case .fixedLenByteArray: return try fixedLengthByteArrays(count, length: typeLength)
        default: throw ParquetError.unsupported("physical type \(type.name)")
        }
    }

    private mutating func fixed<T: BitwiseCopyable>(_ count: Int, as: T.Type) throws -> [T] {
        let size = MemoryLayout<T>.size
        guard count <= (end - position) / size else { throw fail("\(count) values need more than \(end - position) bytes") }
        let start = position
        position += count * size
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[start..<(start + count * size)]))
            }
            initialized = count
        }
    }

    private mutating func booleans(_ count: Int) throws -> [Bool] {
        guard (count + 7) / 8 <= end - position else { throw fail("\(count) booleans need more bytes") }
        var out = [Bool]()
        out.reserveCapacity(count)
        for i in 0..<count { out.append(bytes[position + i / 8] >> UInt8(i % 8) & 1 == 1) }
        position += (count + 7) / 8
        return out
    }

    /// INT96 timestamps (legacy Spark/Impala): 8 bytes nanoseconds of the day, 4 bytes Julian day → µs since 1970.
    private mutating func int96Micros(_ count: Int) throws -> [Int64] {
        guard count <= (end - position) / 12 else { throw fail("\(count) INT96 values need more bytes") }
        var out = [Int64]()
        out.reserveCapacity(count)
        for _ in 0..<count {
            var nanos: UInt64 = 0
            for i in 0..<8 { nanos |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
            var day: UInt32 = 0
            for i in 0..<4 { day |= UInt32(bytes[position + 8 + i]) << (8 * UInt32(i)) }
            position += 12
            let micros = (Int64(day) - 2_440_588) &* 86_400_000_000 &+ Int64(truncatingIfNeeded: nanos / 1000)
            out.append(micros)
        }
        return out
    }

    private mutating func byteArrays(_ count: Int) throws -> DenseValues {
        guard count <= (end - position) / 4 else { throw fail("\(count) byte arrays need more bytes") }
        var offsets = [Int]()
        offsets.reserveCapacity(count + 1)
        offsets.append(0)
        // First pass validates the lengths so the byte buffer is allocated once, at its checked size.
        var p = position
        var total = 0
        for _ in 0..<count {
            guard end - p >= 4 else { throw fail("truncated byte array length") }
            let length = Int(UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24)
            p += 4
            guard length <= end - p else { throw fail("byte array of \(length) bytes past the page end") }
            p += length
            total += length
            offsets.append(total)
        }
        var out = [UInt8]()
        out.reserveCapacity(total)
        p = position
        bytes.withUnsafeBufferPointer { source in
            for i in 0..<count {
                let length = offsets[i + 1] - offsets[i]
                out.append(contentsOf: UnsafeBufferPointer(rebasing: source[(p + 4)..<(p + 4 + length)]))
                p += 4 + length
            }
        }
        position = p
        return .byteArrays(bytes: out, offsets: offsets)
    }

    private mutating func fixedLengthByteArrays(_ count: Int, length: Int) throws -> DenseValues {
        guard length >= 0, count == 0 || length == 0 || count <= (end - position) / length else {
            throw fail("\(count) fixed-length byte arrays need more bytes")
        }
        let out = Array(bytes[position..<(position + count * length)])
        position += count * length
        return .byteArrays(bytes: out, offsets: (0...count).map { $0 * length })
    }
}
