/// Decodes one column chunk (dictionary page, data pages v1 and v2) into a `ParquetColumn`.
struct ColumnChunkReader {
    let descriptor: ColumnDescriptor
    let meta: ColumnMetaData
    /// The chunk's first byte in the file, for error messages.
    let fileOffset: Int
    /// Most bytes decoding this chunk may allocate (`ParquetReadOptions.maxDecodedBytesPerColumnChunk`).
    let budget: Int64

    private func fail(_ what: String) -> ParquetError {
        .malformed("column '\(descriptor.path.joined(separator: "."))': \(what)", offset: fileOffset)
    }

    func read(_ bytes: [UInt8], expectedRows: Int) throws -> ParquetColumn {
        guard meta.type == descriptor.physicalType else { throw fail("chunk type \(meta.type.name) differs from the schema") }
        var pages = PageReader(bytes: bytes, fileOffset: fileOffset)
        var assembler = ColumnAssembler(descriptor: descriptor)
        var dictionary: DenseValues?
        var levelsRead = 0
        var spent = DecodeBudget(column: descriptor.path.joined(separator: "."), limit: budget)
        var pageIndex = -1
        var uncompressedTotal: Int64 = 0
        let perLevel = DecodeBudget.bytesPerLevel(descriptor)
        while levelsRead < meta.numValues, let (header, body) = try pages.next() {
            pageIndex += 1
            // Every size below comes from the page header and is charged before the page is decompressed or
            // expanded: a few bytes of RLE or zstd must not turn into gigabytes.
            uncompressedTotal += Int64(header.uncompressedPageSize)
            guard uncompressedTotal <= meta.totalUncompressedSize else {
                throw fail("page \(pageIndex) brings the pages to \(uncompressedTotal) bytes uncompressed, "
                    + "the footer says \(meta.totalUncompressedSize)")
            }
            try spent.charge(Int64(header.uncompressedPageSize), for: "page \(pageIndex) (\(header.uncompressedPageSize) bytes uncompressed)")
            switch header.type {
            case .dictionaryPage:
                guard dictionary == nil, let dh = header.dictionaryPageHeader else { throw fail("bad dictionary page") }
                try spent.charge(Int64(dh.numValues) * perLevel, for: "dictionary page \(pageIndex) (\(dh.numValues) values)")
                let data = try decompress(bytes, body, size: header.uncompressedPageSize)
                var plain = PlainDecoder(bytes: data, range: 0..<data.count)
                dictionary = try plain.decode(descriptor.physicalType, typeLength: descriptor.typeLength, count: Int(dh.numValues))
            case .dataPage:
                guard let dh = header.dataPageHeader else { throw fail("data page without its header") }
                let count = try checkedCount(dh.numValues, read: levelsRead)
                try spent.charge(Int64(count) * perLevel, for: "page \(pageIndex) (\(count) values)")
                let data = try decompress(bytes, body, size: header.uncompressedPageSize)
                var position = 0
                let repetition = descriptor.maxRepetitionLevel > 0
                    ? try levelsV1(data, &position, count, descriptor.maxRepetitionLevel, dh.repetitionLevelEncoding) : nil
                let definition = descriptor.maxDefinitionLevel > 0
                    ? try levelsV1(data, &position, count, descriptor.maxDefinitionLevel, dh.definitionLevelEncoding) : nil
                let values = try decodeValues(dh.encoding, data, position..<data.count,
                                              count: nonNull(definition, count), dictionary: dictionary,
                                              budget: &spent, page: pageIndex)
                try assembler.append(definition: definition, repetition: repetition, count: count, values: values)
                levelsRead += count
            case .dataPageV2:
                guard let dh = header.dataPageHeaderV2 else { throw fail("data page v2 without its header") }
                let count = try checkedCount(dh.numValues, read: levelsRead)
                try spent.charge(Int64(count) * perLevel, for: "page \(pageIndex) (\(count) values)")
                let repLength = Int(dh.repetitionLevelsByteLength), defLength = Int(dh.definitionLevelsByteLength)
                guard repLength + defLength <= body.count, repLength + defLength <= Int(header.uncompressedPageSize) else {
                    throw fail("level lengths exceed the page")
                }
                let repRange = body.lowerBound..<(body.lowerBound + repLength)
                let defRange = repRange.upperBound..<(repRange.upperBound + defLength)
                let repetition = try levels(bytes, repRange, count, descriptor.maxRepetitionLevel)
                let definition = try levels(bytes, defRange, count, descriptor.maxDefinitionLevel)
                let valueRange = defRange.upperBound..<body.upperBound
                let valueSize = Int(header.uncompressedPageSize) - repLength - defLength
                let data = dh.isCompressed ? try decompress(bytes, valueRange, size: Int32(valueSize))
                    : Array(bytes[valueRange])
                let values = try decodeValues(dh.encoding, data, 0..<data.count, count: nonNull(definition, count),
                                              dictionary: dictionary, budget: &spent, page: pageIndex)
                try assembler.append(definition: definition, repetition: repetition, count: count, values: values)
                levelsRead += count
            default:
                continue  // index pages and future page types carry no values
            }
        }
        guard levelsRead == meta.numValues else { throw fail("pages hold \(levelsRead) values, metadata says \(meta.numValues)") }
        let column = assembler.column
        guard column.rowCount == expectedRows else { throw fail("\(column.rowCount) rows, row group says \(expectedRows)") }
        return column
    }

    private func checkedCount(_ n: Int32, read: Int) throws -> Int {
        guard n >= 0, Int(n) <= ReadLimits.maxPageValues, Int64(read) + Int64(n) <= meta.numValues else {
            throw fail("page claims \(n) values")
        }
        return Int(n)
    }

    private func decompress(_ bytes: [UInt8], _ range: Range<Int>, size: Int32) throws -> [UInt8] {
        try bytes.withUnsafeBytes { raw in
            try PageDecompressor.decompress(meta.codec, UnsafeRawBufferPointer(rebasing: raw[range]), uncompressedSize: Int(size))
        }
    }

    private func nonNull(_ definition: [UInt8]?, _ count: Int) -> Int {
        guard let definition else { return count }
        let maxDef = UInt8(descriptor.maxDefinitionLevel)
        return definition.reduce(0) { $0 + ($1 == maxDef ? 1 : 0) }
    }

    /// v1 levels: a 4-byte length, then RLE/bit-packed hybrid.
    private func levelsV1(_ data: [UInt8], _ position: inout Int, _ count: Int, _ maxLevel: Int,
                          _ encoding: Encoding) throws -> [UInt8] {
        guard encoding == .rle else { throw ParquetError.unsupported("level encoding \(encoding.name)") }
        guard data.count - position >= 4 else { throw fail("truncated level length") }
        let length = Int(UInt32(data[position]) | UInt32(data[position + 1]) << 8 | UInt32(data[position + 2]) << 16
            | UInt32(data[position + 3]) << 24)
        position += 4
        guard length <= data.count - position else { throw fail("levels of \(length) bytes past the page end") }
        let out = try levels(data, position..<(position + length), count, maxLevel)
        position += length
        return out ?? []
    }

    /// RLE levels in `range`; nil when the column has no such levels.
    private func levels(_ data: [UInt8], _ range: Range<Int>, _ count: Int, _ maxLevel: Int) throws -> [UInt8]? {
        guard maxLevel > 0 else { return nil }
        var decoder = RleHybridDecoder(bytes: data, range: range, bitWidth: bitWidth(of: UInt64(maxLevel)))
        var out: [UInt8] = []
        try decoder.decode(count: count, into: &out, maxValue: UInt32(maxLevel))
        return out
    }

    private func decodeValues(_ encoding: Encoding, _ data: [UInt8], _ range: Range<Int>, count: Int,
                              dictionary: DenseValues?, budget: inout DecodeBudget, page: Int) throws -> DenseValues {
        switch encoding {
        case .plain:
            var plain = PlainDecoder(bytes: data, range: range)
            return try plain.decode(descriptor.physicalType, typeLength: descriptor.typeLength, count: count)
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw fail("dictionary-encoded page without a dictionary page") }
            guard count > 0 else { return dictionary.gather([]) }
            guard !range.isEmpty else { throw fail("missing dictionary index bit width") }
            let width = Int(data[range.lowerBound])
            guard dictionary.count > 0 else { throw fail("empty dictionary") }
            var decoder = RleHybridDecoder(bytes: data, range: (range.lowerBound + 1)..<range.upperBound, bitWidth: width)
            var indices: [UInt32] = []
            try decoder.decode(count: count, into: &indices, maxValue: UInt32(dictionary.count - 1))
            // A dictionary of one huge string and many indices to it is the classic bomb: size it first.
            let gathered = dictionary.gatheredByteCount(indices)
            try budget.charge(gathered, for: "page \(page) (\(count) dictionary indices expanding to \(gathered) bytes)")
            return dictionary.gather(indices)
        case .rle where descriptor.physicalType == .boolean:
            guard range.count >= 4 else { throw fail("truncated RLE boolean length") }
            let p = range.lowerBound
            let length = Int(UInt32(data[p]) | UInt32(data[p + 1]) << 8 | UInt32(data[p + 2]) << 16 | UInt32(data[p + 3]) << 24)
            guard length <= range.count - 4 else { throw fail("RLE booleans past the page end") }
            var decoder = RleHybridDecoder(bytes: data, range: (p + 4)..<(p + 4 + length), bitWidth: 1)
            var bits: [UInt8] = []
            try decoder.decode(count: count, into: &bits, maxValue: 1)
            return .booleans(bits.map { $0 == 1 })
        default:
            throw ParquetError.unsupported("encoding \(encoding.name) in column '\(descriptor.path.joined(separator: "."))'")
        }
    }
}
