/// Reads a Parquet file row group by row group, decoding only the columns asked for. The footer is read
/// and checked once at `init`; every offset and length it holds is checked before use.
public final class ParquetFileReader: Sendable {
    /// The file's path.
    public let path: String
    /// The readable columns (primitives and lists of primitives), in file order.
    public let schema: ParquetSchema
    /// The footer's key-value metadata.
    public let metadata: [String: String]
    /// Total rows in the file.
    public let rowCount: Int
    /// The writer that made the file (`created_by`), if recorded.
    public let createdBy: String?
    let footer: FileMetaData
    let fileSchema: FileSchema
    /// The decoding budgets this reader enforces.
    public let options: ParquetReadOptions
    private let input: FileInput

    /// Opens `path` and reads its footer; `options` bound what decoding it may allocate.
    public convenience init(path: String, options: ParquetReadOptions = .init()) throws {
        try self.init(input: FileInput(path: path), options: options)
    }

    /// Reads a whole Parquet file held in memory (e.g. fetched from object storage); `name` is for messages.
    public convenience init(bytes: [UInt8], name: String = "<memory>", options: ParquetReadOptions = .init()) throws {
        try self.init(input: FileInput(bytes: bytes, name: name), options: options)
    }

    private init(input: FileInput, options: ParquetReadOptions) throws {
        self.path = input.path
        self.input = input
        self.options = options
        let size = input.size
        guard size >= 12 else { throw ParquetError.malformed("\(size)-byte file is too small for Parquet", offset: 0) }
        let head = try input.read(offset: 0, count: 4)
        let tail = try input.read(offset: size - 8, count: 8)
        guard head == Array("PAR1".utf8) else { throw ParquetError.malformed("missing leading PAR1 magic", offset: 0) }
        if tail[4..<8] == ArraySlice("PARE".utf8) { throw ParquetError.unsupported("encrypted footer") }
        guard tail[4..<8] == ArraySlice("PAR1".utf8) else {
            throw ParquetError.malformed("missing trailing PAR1 magic", offset: Int(size) - 4)
        }
        let length = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        guard Int64(length) <= size - 12, length <= ReadLimits.maxFooterBytes else {
            throw ParquetError.malformed("footer length \(length) does not fit the \(size)-byte file", offset: Int(size) - 8)
        }
        let footerStart = size - 8 - Int64(length)
        let bytes = try input.read(offset: footerStart, count: length)
        var reader = ThriftCompactReader(bytes)
        do { footer = try FileMetaData(from: &reader) } catch ParquetError.malformed(let what, let at) {
            throw ParquetError.malformed("footer: \(what)", offset: at.map { $0 + Int(footerStart) })
        }
        fileSchema = try FileSchema(footer.schema)
        guard footer.numRows >= 0, footer.numRows <= Int64(Int32.max) * 1024 else {
            throw ParquetError.malformed("footer claims \(footer.numRows) rows", offset: Int(footerStart))
        }
        var total: Int64 = 0
        for (i, group) in footer.rowGroups.enumerated() {
            guard group.columns.count == fileSchema.leafCount else {
                throw ParquetError.malformed("row group \(i) has \(group.columns.count) columns, schema has \(fileSchema.leafCount)",
                                             offset: Int(footerStart))
            }
            let (sum, overflow) = total.addingReportingOverflow(group.numRows)
            guard !overflow else { throw ParquetError.malformed("row counts overflow", offset: Int(footerStart)) }
            total = sum
        }
        guard total == footer.numRows else {
            throw ParquetError.malformed("row groups hold \(total) rows, footer says \(footer.numRows)", offset: Int(footerStart))
        }
        try Self.checkClaims(footer, fileSchema, options)
        rowCount = Int(footer.numRows)
        createdBy = footer.createdBy
        schema = ParquetSchema(fileSchema.topLevel.compactMap { try? $0.descriptor.get().field })
        var kv: [String: String] = [:]
        for entry in footer.keyValueMetadata ?? [] { kv[entry.key] = entry.value ?? "" }
        metadata = kv
    }

    /// Refuses a file whose footer claims more decoded bytes than the budgets allow, before any page is read.
    private static func checkClaims(_ footer: FileMetaData, _ schema: FileSchema, _ options: ParquetReadOptions) throws {
        var total: Int64 = 0
        for (g, group) in footer.rowGroups.enumerated() {
            for top in schema.topLevel {
                guard let descriptor = try? top.descriptor.get(),
                      let meta = group.columns[top.leafIndices.lowerBound].metaData else { continue }
                let name = descriptor.path.joined(separator: ".")
                let claim = DecodeBudget.footerClaim(meta, rows: group.numRows, descriptor)
                guard claim <= options.maxDecodedBytesPerColumnChunk else {
                    throw ParquetError.overBudget(
                        "column '\(name)' in row group \(g) (\(group.numRows) rows, \(meta.numValues) values, "
                            + "\(meta.totalUncompressedSize) bytes uncompressed)",
                        bytes: claim, budget: options.maxDecodedBytesPerColumnChunk)
                }
                let (sum, overflow) = total.addingReportingOverflow(claim)
                guard !overflow, sum <= options.maxDecodedBytesPerFile else {
                    throw ParquetError.overBudget("column '\(name)' in row group \(g) brings the file's total, which",
                                                  bytes: overflow ? .max : sum, budget: options.maxDecodedBytesPerFile)
                }
                total = sum
            }
        }
    }

    /// Number of row groups.
    public var rowGroupCount: Int { footer.rowGroups.count }

    /// Rows in each row group.
    public var rowGroupRowCounts: [Int] { footer.rowGroups.map { Int($0.numRows) } }

    /// Names of the columns this reader can decode.
    public var readableColumns: [String] { schema.fields.map(\.name) }

    /// The schema as text: parquet's message notation, the typed columns, and the metadata keys.
    public var schemaDescription: String {
        var lines = [fileSchema.messageDescription, "", "columns:"]
        for top in fileSchema.topLevel {
            switch top.descriptor {
            case .success(let d): lines.append("  \(d.field)")
            case .failure(let e): lines.append("  \(top.name): (not readable: \(e))")
            }
        }
        lines.append("")
        lines.append("rows: \(rowCount) in \(rowGroupCount) row group\(rowGroupCount == 1 ? "" : "s")")
        if let createdBy { lines.append("created by: \(createdBy)") }
        if !metadata.isEmpty {
            lines.append("metadata:")
            for key in metadata.keys.sorted() {
                let value = metadata[key] ?? ""
                lines.append("  \(key): \(value.count > 60 ? String(value.prefix(60)) + "… (\(value.utf8.count) bytes)" : value)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Reads row group `index`, decoding `columns` (all readable columns when nil), in the order asked.
    public func readRowGroup(_ index: Int, columns: [String]? = nil) throws -> ParquetRowGroup {
        guard footer.rowGroups.indices.contains(index) else {
            throw ParquetError.schemaMismatch("row group \(index) of \(rowGroupCount)")
        }
        let group = footer.rowGroups[index]
        var out: [ParquetColumn] = []
        for name in columns ?? readableColumns {
            guard let top = fileSchema.topLevel.first(where: { $0.name == name }) else { throw ParquetError.noSuchColumn(name) }
            let descriptor = try top.descriptor.get()
            out.append(try readChunk(group.columns[top.leafIndices.lowerBound], descriptor, rows: Int(group.numRows)))
        }
        return ParquetRowGroup(index: index, rowCount: Int(group.numRows), columns: out)
    }

    private func readChunk(_ chunk: ColumnChunk, _ descriptor: ColumnDescriptor, rows: Int) throws -> ParquetColumn {
        guard chunk.filePath == nil else { throw ParquetError.unsupported("column chunks in other files") }
        guard let meta = chunk.metaData else {
            throw ParquetError.malformed("column chunk '\(descriptor.path.joined(separator: "."))' without metadata", offset: nil)
        }
        guard meta.pathInSchema == descriptor.path else {
            throw ParquetError.malformed("chunk path \(meta.pathInSchema) differs from the schema's \(descriptor.path)", offset: nil)
        }
        var start = meta.dataPageOffset
        // For an empty table pyarrow writes chunks with data_page_offset 0: a lone dictionary page, or no
        // page at all (0 bytes, 0 values).
        if let d = meta.dictionaryPageOffset, d > 0, d < start || start == 0 { start = d }
        let length = meta.totalCompressedSize
        let pageless = start == 0 && length == 0 && meta.numValues == 0
        guard start >= 4 || pageless, length >= 0, length <= input.size, start <= input.size - length,
              meta.numValues >= 0, meta.numValues <= Int64(Int32.max) else {
            throw ParquetError.malformed("column chunk range \(start)+\(length) or \(meta.numValues) values invalid",
                                         offset: Int(clamping: start))
        }
        let bytes = try input.read(offset: start, count: Int(length))
        let reader = ColumnChunkReader(descriptor: descriptor, meta: meta, fileOffset: Int(start),
                                       budget: options.maxDecodedBytesPerColumnChunk)
        return try reader.read(bytes, expectedRows: rows)
    }

    /// The row groups in order, decoding `columns` (all readable columns when nil); for `for try await`.
    public func rowGroups(columns: [String]? = nil) -> ParquetRowGroupSequence {
        ParquetRowGroupSequence(reader: self, columns: columns)
    }
}

/// Row groups of a file, read one at a time as the iteration advances.
public struct ParquetRowGroupSequence: AsyncSequence, Sendable {
    /// Each element is one decoded row group.
    public typealias Element = ParquetRowGroup
    let reader: ParquetFileReader
    let columns: [String]?

    /// Iterates the row groups.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let reader: ParquetFileReader
        let columns: [String]?
        var next = 0

        /// Reads the next row group, or nil after the last.
        public mutating func next() async throws -> ParquetRowGroup? {
            guard next < reader.rowGroupCount else { return nil }
            defer { next += 1 }
            return try reader.readRowGroup(next, columns: columns)
        }
    }

    /// A fresh iterator.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(reader: reader, columns: columns) }
}
