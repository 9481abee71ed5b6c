@testable import Parquet

/// A one-column, one-row-group Parquet file assembled from hand-made pages, whose footer claims (rows,
/// levels, uncompressed size) the test chooses — the shapes a hostile writer can produce in a few KB.
struct HostileFile {
    var field: ParquetField
    var codec: CompressionCodec = .uncompressed
    /// Each page's header and stored body, in order.
    var pages: [(header: PageHeader, body: [UInt8])] = []
    var rows: Int64
    var numValues: Int64
    /// The footer's total_uncompressed_size; nil means the pages' true total.
    var totalUncompressedSize: Int64?

    func bytes() -> [UInt8] {
        let descriptor = ColumnDescriptor(writing: field)
        var out = Array("PAR1".utf8)
        var trueUncompressed: Int64 = 0
        for (header, body) in pages {
            var w = ThriftCompactWriter()
            header.write(to: &w)
            out += w.bytes + body
            trueUncompressed += Int64(w.bytes.count) + Int64(header.uncompressedPageSize)
        }
        let firstData = pages.firstIndex { $0.header.type != .dictionaryPage } ?? 0
        let dictionaryOffset: Int64? = pages.first?.header.type == .dictionaryPage ? 4 : nil
        var dataOffset: Int64 = 4
        for (header, body) in pages.prefix(firstData) {
            var w = ThriftCompactWriter()
            header.write(to: &w)
            dataOffset += Int64(w.bytes.count + body.count)
        }
        let meta = ColumnMetaData(
            type: descriptor.physicalType, encodings: [.plain, .rle, .rleDictionary], pathInSchema: descriptor.path,
            codec: codec, numValues: numValues, totalUncompressedSize: totalUncompressedSize ?? trueUncompressed,
            totalCompressedSize: Int64(out.count - 4), dataPageOffset: dataOffset,
            dictionaryPageOffset: dictionaryOffset, statistics: nil)
        let group = RowGroup(columns: [ColumnChunk(fileOffset: 4, metaData: meta)], totalByteSize: 0, numRows: rows)
        let schema = [SchemaElement(name: "schema", numChildren: 1)] + descriptor.schemaElements()
        let footer = FileMetaData(version: 2, schema: schema, numRows: rows, rowGroups: [group],
                                  keyValueMetadata: nil, createdBy: "hostile", columnOrderCount: nil)
        let bytes = footer.serialized()
        out += bytes
        out += withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { Array($0) }
        out += Array("PAR1".utf8)
        return out
    }

    /// A data page (v1) of `count` levels whose body is `body`.
    static func dataPage(count: Int32, encoding: Encoding, body: [UInt8], uncompressedSize: Int32? = nil) -> (PageHeader, [UInt8]) {
        var header = PageHeader(type: .dataPage, uncompressedPageSize: uncompressedSize ?? Int32(body.count),
                                compressedPageSize: Int32(body.count))
        header.dataPageHeader = DataPageHeader(numValues: count, encoding: encoding, definitionLevelEncoding: .rle,
                                               repetitionLevelEncoding: .rle)
        return (header, body)
    }

    /// One RLE run of `count` copies of `value` (one byte wide), as the hybrid encoding stores it.
    static func rleRun(_ count: Int, value: UInt8?) -> [UInt8] {
        var out: [UInt8] = []
        var v = UInt64(count) << 1
        while v >= 0x80 { out.append(UInt8(truncatingIfNeeded: v) | 0x80); v >>= 7 }
        out.append(UInt8(v))
        if let value { out.append(value) }
        return out
    }

    /// v1 levels: a 4-byte little-endian length, then the RLE bytes.
    static func levelsV1(_ rle: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: UInt32(rle.count).littleEndian) { Array($0) } + rle
    }
}
