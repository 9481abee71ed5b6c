/// Writes one column chunk (one column of one row group) as an optional dictionary page and v1 data pages
/// that end on row boundaries, and returns its `ColumnChunk` metadata.
struct ColumnChunkWriter {
    let descriptor: ColumnDescriptor
    let options: ParquetWriterOptions
    let compressor: PageCompressor

    /// The pages' running totals.
    private struct Totals {
        var uncompressed: Int64 = 0
        var compressed: Int64 = 0
        var levels: Int = 0
        var encodings: Set<Encoding> = [.rle]
    }

    func write(_ column: ParquetColumn, rows: Range<Int>, to out: FileOutput) throws -> ColumnChunk {
        let chunkSlots = column.slots(for: rows)
        let validity = descriptor.field.isList ? column.elementValidity : column.rowValidity
        var totals = Totals()
        var body: [UInt8] = []
        var compressed: [UInt8] = []

        // Dictionary for byte arrays: kept only if it fits and is smaller than PLAIN.
        var dictionary: DictionaryBuilder?
        var dictionaryOffset: Int64?
        if options.dictionary, descriptor.field.type == .string || descriptor.field.type == .binary {
            dictionary = buildDictionary(column, slots: chunkSlots, validity: validity)
        }
        if let dict = dictionary {
            dictionaryOffset = out.position
            body.removeAll(keepingCapacity: true)
            PlainEncoder.appendByteArrays(dict.bytes, offsets: dict.offsets, range: 0..<dict.count, validity: nil, to: &body)
            var header = PageHeader(type: .dictionaryPage, uncompressedPageSize: 0, compressedPageSize: 0)
            header.dictionaryPageHeader = DictionaryPageHeader(numValues: Int32(dict.count), encoding: .plain, isSorted: false)
            try writePage(header, body: body, scratch: &compressed, totals: &totals, to: out)
            totals.encodings.insert(.plain)
        }

        let dataOffset = out.position
        var denseStart = 0
        var row = rows.lowerBound
        while row < rows.upperBound {
            let pageEnd = pageEnd(column, from: row, limit: rows.upperBound)
            let pageSlots = column.slots(for: row..<pageEnd)
            body.removeAll(keepingCapacity: true)
            let levelCount = encodeLevels(column, rows: row..<pageEnd, into: &body)
            let encoding: Encoding
            if let dict = dictionary {
                let dense = validity.map { v in pageSlots.reduce(0) { $0 + (v[$1] ? 1 : 0) } } ?? pageSlots.count
                let width = bitWidth(of: UInt64(max(dict.count - 1, 0)))
                body.append(UInt8(width))
                var rle = RleHybridEncoder(bitWidth: width)
                for i in dict.indices[denseStart..<(denseStart + dense)] { rle.put(i) }
                body.append(contentsOf: rle.finish())
                denseStart += dense
                encoding = .rleDictionary
            } else {
                encodeValues(column, slots: pageSlots, validity: validity, into: &body)
                encoding = .plain
            }
            var header = PageHeader(type: .dataPage, uncompressedPageSize: 0, compressedPageSize: 0)
            header.dataPageHeader = DataPageHeader(numValues: Int32(levelCount), encoding: encoding,
                                                   definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle)
            try writePage(header, body: body, scratch: &compressed, totals: &totals, to: out)
            totals.levels += levelCount
            totals.encodings.insert(encoding)
            row = pageEnd
        }

        let statistics = ChunkStatistics.compute(column, slots: chunkSlots, levelCount: totals.levels)
        let meta = ColumnMetaData(
            type: descriptor.physicalType, encodings: totals.encodings.sorted { $0.rawValue < $1.rawValue },
            pathInSchema: descriptor.path, codec: options.compression.codec, numValues: Int64(totals.levels),
            totalUncompressedSize: totals.uncompressed, totalCompressedSize: totals.compressed,
            dataPageOffset: dataOffset, dictionaryPageOffset: dictionaryOffset, statistics: statistics)
        return ColumnChunk(fileOffset: dictionaryOffset ?? dataOffset, metaData: meta)
    }

    private func buildDictionary(_ column: ParquetColumn, slots: Range<Int>, validity: [Bool]?) -> DictionaryBuilder? {
        var dict = DictionaryBuilder(byteLimit: options.dictionaryPageBytes, expectedValues: slots.count)
        var plainBytes = 0
        let ok = column.bytes.withUnsafeBufferPointer { all -> Bool in
            for i in slots where validity?[i] ?? true {
                let range = column.byteOffsets[i]..<column.byteOffsets[i + 1]
                plainBytes += 4 + range.count
                if !dict.add(UnsafeBufferPointer(rebasing: all[range])) { return false }
            }
            return true
        }
        guard ok else { return nil }
        let indexBytes = dict.indices.count * bitWidth(of: UInt64(max(dict.count - 1, 0))) / 8
        return dict.plainSize + indexBytes < plainBytes ? dict : nil
    }

    /// The end of the page starting at `row`: the first row boundary past the byte or row budget.
    private func pageEnd(_ column: ParquetColumn, from row: Int, limit: Int) -> Int {
        let width: Int
        switch descriptor.field.type {
        case .boolean: width = 1
        case .int32, .float: width = 4
        case .int64, .double, .timestamp: width = 8
        case .string, .binary: width = 4
        }
        var bytes = 0
        var end = row
        let rowLimit = min(limit, row + options.pageRows)
        while end < rowLimit {
            let s = column.slots(for: end..<(end + 1))
            bytes += 2 + width * s.count
            if width == 4, descriptor.field.type == .string || descriptor.field.type == .binary {
                bytes += column.byteOffsets[s.upperBound] - column.byteOffsets[s.lowerBound]
            }
            end += 1
            if bytes >= options.pageBytes { break }
        }
        return end
    }

    /// Appends repetition then definition levels (each RLE with a 4-byte length) and returns the level count.
    private func encodeLevels(_ column: ParquetColumn, rows: Range<Int>, into body: inout [UInt8]) -> Int {
        let maxDef = UInt32(descriptor.maxDefinitionLevel)
        var rep = RleHybridEncoder(bitWidth: bitWidth(of: UInt64(descriptor.maxRepetitionLevel)))
        var def = RleHybridEncoder(bitWidth: bitWidth(of: UInt64(maxDef)))
        var count = 0
        if descriptor.field.isList {
            let present = UInt32(descriptor.presentLevel)
            for r in rows {
                let n = column.listOffsets[r + 1] - column.listOffsets[r]
                rep.put(0)
                if !column.isValid(row: r) {
                    def.put(0)
                    count += 1
                } else if n == 0 {
                    def.put(present)
                    count += 1
                } else {
                    rep.put(1, count: n - 1)
                    if let e = column.elementValidity {
                        for i in column.listOffsets[r]..<column.listOffsets[r + 1] { def.put(e[i] ? maxDef : maxDef - 1) }
                    } else {
                        def.put(maxDef, count: n)
                    }
                    count += n
                }
            }
        } else {
            count = rows.count
            if maxDef > 0 {
                if let v = column.rowValidity {
                    for r in rows { def.put(v[r] ? 1 : 0) }
                } else {
                    def.put(1, count: rows.count)
                }
            }
        }
        if descriptor.maxRepetitionLevel > 0 { Self.appendLengthPrefixed(rep.finish(), to: &body) }
        if maxDef > 0 { Self.appendLengthPrefixed(def.finish(), to: &body) }
        return count
    }

    private static func appendLengthPrefixed(_ bytes: [UInt8], to body: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { body.append(contentsOf: $0) }
        body.append(contentsOf: bytes)
    }

    private func encodeValues(_ column: ParquetColumn, slots: Range<Int>, validity: [Bool]?, into body: inout [UInt8]) {
        switch descriptor.field.type {
        case .boolean: PlainEncoder.appendBooleans(column.booleans, range: slots, validity: validity, to: &body)
        case .int32: PlainEncoder.appendFixed(column.int32s, range: slots, validity: validity, to: &body)
        case .int64, .timestamp: PlainEncoder.appendFixed(column.int64s, range: slots, validity: validity, to: &body)
        case .float: PlainEncoder.appendFixed(column.floats, range: slots, validity: validity, to: &body)
        case .double: PlainEncoder.appendFixed(column.doubles, range: slots, validity: validity, to: &body)
        case .string, .binary:
            PlainEncoder.appendByteArrays(column.bytes, offsets: column.byteOffsets, range: slots, validity: validity, to: &body)
        }
    }

    private func writePage(_ header: PageHeader, body: [UInt8], scratch: inout [UInt8], totals: inout Totals,
                           to out: FileOutput) throws {
        guard body.count <= Int(Int32.max) else {
            throw ParquetError.schemaMismatch("a page of column '\(descriptor.field.name)' exceeds 2 GiB: lower pageBytes")
        }
        var header = header
        header.uncompressedPageSize = Int32(body.count)
        let stored: [UInt8]
        if options.compression == .uncompressed {
            stored = body
        } else {
            try body.withUnsafeBytes { try compressor.compress($0, into: &scratch) }
            stored = scratch
        }
        header.compressedPageSize = Int32(stored.count)
        var w = ThriftCompactWriter()
        header.write(to: &w)
        try out.write(w.bytes)
        try out.write(stored)
        totals.uncompressed += Int64(w.bytes.count + body.count)
        totals.compressed += Int64(w.bytes.count + stored.count)
    }
}
