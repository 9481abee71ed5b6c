import Testing
@testable import Parquet

@Suite struct EncodingTests {
    func roundTrip(_ values: [UInt32], bitWidth: Int) throws -> [UInt32] {
        var encoder = RleHybridEncoder(bitWidth: bitWidth)
        for v in values { encoder.put(v) }
        let bytes = encoder.finish()
        var decoder = RleHybridDecoder(bytes: bytes, range: 0..<bytes.count, bitWidth: bitWidth)
        var out: [UInt32] = []
        try decoder.decode(count: values.count, into: &out, maxValue: UInt32((1 << UInt64(bitWidth)) - 1))
        return out
    }

    @Test(arguments: [0, 1, 2, 3, 5, 8, 13, 17, 24, 32])
    func rleHybridRoundTripsMixedRunsAndLiterals(bitWidth: Int) throws {
        let mask = bitWidth == 32 ? UInt32.max : UInt32((1 << UInt64(bitWidth)) - 1)
        var values: [UInt32] = []
        var seed: UInt32 = 7
        for block in 0..<40 {
            seed = seed &* 1_103_515_245 &+ 12345
            if block % 3 == 0 {
                values += Array(repeating: seed & mask, count: Int(seed % 50))
            } else {
                for _ in 0..<Int(seed % 23) {
                    seed = seed &* 1_103_515_245 &+ 12345
                    values.append((seed >> 3) & mask)
                }
            }
        }
        #expect(try roundTrip(values, bitWidth: bitWidth) == values)
    }

    @Test func rleRunsAreCompact() {
        var encoder = RleHybridEncoder(bitWidth: 2)
        encoder.put(3, count: 1_000_000)
        #expect(encoder.finish().count <= 5)
    }

    @Test func rleSpecExample() throws {
        // Encodings.md: values 0..7 at bit width 3 bit-pack to 0x88 0xC6 0xFA after the header (1 group).
        var encoder = RleHybridEncoder(bitWidth: 3)
        for v in 0..<8 { encoder.put(UInt32(v)) }
        #expect(encoder.finish() == [0x03, 0x88, 0xc6, 0xfa])
    }

    @Test func rleDecoderRejectsOutOfRangeAndTruncation() {
        var decoder = RleHybridDecoder(bytes: [0x02, 0x05], range: 0..<2, bitWidth: 3)
        var out: [UInt8] = []
        #expect(throws: ParquetError.self) { try decoder.decode(count: 1, into: &out, maxValue: 3) }
        var truncated = RleHybridDecoder(bytes: [0x05, 0x88], range: 0..<2, bitWidth: 3)
        #expect(throws: ParquetError.self) { try truncated.decode(count: 16, into: &out, maxValue: 7) }
    }

    /// parquet-mr (Spark's writer) writes a one-value dictionary's indices as bit-packed runs of width 0:
    /// groups that take no bytes, however many values they hold.
    @Test func zeroWidthBitPackedRunsTakeNoBytes() throws {
        for (header, count) in [([UInt8](arrayLiteral: 0x03), 2), ([0x05], 16), ([0xFF, 0xFF, 0x03], 5)] {
            var decoder = RleHybridDecoder(bytes: header, range: 0..<header.count, bitWidth: 0)
            var out: [UInt32] = []
            try decoder.decode(count: count, into: &out, maxValue: 0)
            #expect(out == [UInt32](repeating: 0, count: count))
        }
    }

    @Test func thriftRoundTripsPageHeader() throws {
        var header = PageHeader(type: .dataPage, uncompressedPageSize: 1234, compressedPageSize: 99)
        header.dataPageHeader = DataPageHeader(numValues: 77, encoding: .rleDictionary, definitionLevelEncoding: .rle,
                                               repetitionLevelEncoding: .rle,
                                               statistics: Statistics(min: [1], max: [2, 3], nullCount: 4))
        var w = ThriftCompactWriter()
        header.write(to: &w)
        var r = ThriftCompactReader(w.bytes)
        #expect(try PageHeader(from: &r) == header)
        #expect(r.remaining == 0)
    }

    @Test func thriftRejectsHostileLengths() {
        // A binary field claiming 2^40 bytes in a 10-byte buffer.
        var r = ThriftCompactReader([0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0, 0, 0])
        #expect(throws: ParquetError.self) { try SchemaElement(from: &r) }
        // Deeply nested structs.
        var deep = ThriftCompactReader(Array(repeating: 0x1c, count: 500))
        #expect(throws: ParquetError.self) { try FileMetaData(from: &deep) }
    }
}
