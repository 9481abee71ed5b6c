/// Streams rows into a Parquet file: rows gather into row groups of `options.rowGroupRows` and each full
/// group is written out at once, so memory is bounded by one row group. `close()` writes the footer.
/// The file is written in place at `path`; callers that need atomic visibility write to a temporary path
/// and rename it afterwards.
public final class ParquetFileWriter {
    /// The schema rows must follow.
    public let schema: ParquetSchema
    /// The writer's options.
    public let options: ParquetWriterOptions
    private let keyValueMetadata: [String: String]
    private let descriptors: [ColumnDescriptor]
    private let compressor: PageCompressor
    private var output: FileOutput?
    private var pending: ParquetRowBatch
    private var rowGroups: [RowGroup] = []
    /// Rows written so far (in completed row groups).
    public private(set) var rowsWritten = 0

    /// Creates (truncates) the file at `path` and writes the magic bytes.
    public init(path: String, schema: ParquetSchema, options: ParquetWriterOptions = .init(),
                metadata: [String: String] = [:]) throws {
        guard !schema.fields.isEmpty else { throw ParquetError.schemaMismatch("a schema needs at least one field") }
        guard Set(schema.fields.map(\.name)).count == schema.fields.count else {
            throw ParquetError.schemaMismatch("duplicate column names in \(schema.fields.map(\.name))")
        }
        self.schema = schema
        self.options = options
        self.keyValueMetadata = metadata
        self.descriptors = schema.fields.map { ColumnDescriptor(writing: $0) }
        self.compressor = PageCompressor(options.compression, zstdLevel: options.zstdLevel)
        self.pending = ParquetRowBatch(schema: schema)
        let output = try FileOutput(path: path)
        try output.write(Array("PAR1".utf8))
        self.output = output
    }

    /// Adds the batch's rows, writing every row group that fills up.
    public func write(_ batch: ParquetRowBatch) throws {
        guard output != nil else { throw ParquetError.writerClosed }
        guard batch.schema == schema else { throw ParquetError.schemaMismatch("batch schema differs from the writer's") }
        let rows = try batch.validated()
        var start = 0
        while start < rows {
            let room = options.rowGroupRows - pending.rowCount
            let take = min(room, rows - start)
            if pending.rowCount == 0 && take == options.rowGroupRows {
                // A whole row group straight from the batch: no copy.
                try writeRowGroup(batch.columns, rows: start..<(start + take))
            } else {
                for i in pending.columns.indices { pending.appendRows(column: i, of: batch.columns[i], start..<(start + take)) }
                if pending.rowCount == options.rowGroupRows { try flushPending() }
            }
            start += take
        }
    }

    /// Writes any buffered rows as a (possibly short) row group.
    public func flush() throws {
        guard output != nil else { throw ParquetError.writerClosed }
        if pending.rowCount > 0 { try flushPending() }
    }

    private func flushPending() throws {
        try writeRowGroup(pending.columns, rows: 0..<pending.rowCount)
        pending.removeAll()
    }

    private func writeRowGroup(_ columns: [ParquetColumn], rows: Range<Int>) throws {
        guard let output else { throw ParquetError.writerClosed }
        let start = output.position
        var chunks: [ColumnChunk] = []
        var uncompressed: Int64 = 0
        for (descriptor, column) in zip(descriptors, columns) {
            let writer = ColumnChunkWriter(descriptor: descriptor, options: options, compressor: compressor)
            let chunk = try writer.write(column, rows: rows, to: output)
            uncompressed += chunk.metaData?.totalUncompressedSize ?? 0
            chunks.append(chunk)
        }
        var group = RowGroup(columns: chunks, totalByteSize: uncompressed, numRows: Int64(rows.count))
        group.fileOffset = start
        group.totalCompressedSize = output.position - start
        group.ordinal = Int16(exactly: rowGroups.count)  // an i16 in parquet.thrift: left out past 32767
        rowGroups.append(group)
        rowsWritten += rows.count
    }

    /// Writes buffered rows and the footer, closes the file and returns what was written.
    @discardableResult
    public func close() throws -> ParquetFileMetadata {
        try flush()
        guard let output else { throw ParquetError.writerClosed }
        self.output = nil
        let footer = FileMetaData(
            version: 2, schema: schemaElements(), numRows: Int64(rowsWritten), rowGroups: rowGroups,
            keyValueMetadata: keyValueMetadata.isEmpty ? nil
                : keyValueMetadata.sorted { $0.key < $1.key }.map { KeyValue(key: $0.key, value: $0.value) },
            createdBy: "orchard parquet version 1.0", columnOrderCount: descriptors.count)
        let bytes = footer.serialized()
        try output.write(bytes)
        try output.write(withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { Array($0) })
        try output.write(Array("PAR1".utf8))
        let size = Int(output.position)
        try output.close()
        return ParquetFileMetadata(rowCount: rowsWritten, rowGroupRowCounts: rowGroups.map { Int($0.numRows) },
                                   fileBytes: size, keyValueMetadata: keyValueMetadata, schema: schema)
    }

    private func schemaElements() -> [SchemaElement] {
        [SchemaElement(name: "schema", numChildren: Int32(descriptors.count))] + descriptors.flatMap { $0.schemaElements() }
    }
}
