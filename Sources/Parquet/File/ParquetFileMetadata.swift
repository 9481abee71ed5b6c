/// What `ParquetFileWriter.close()` reports about the file it wrote.
public struct ParquetFileMetadata: Sendable, Equatable {
    /// Total rows.
    public var rowCount: Int
    /// Rows per row group, in order.
    public var rowGroupRowCounts: [Int]
    /// File size in bytes.
    public var fileBytes: Int
    /// The footer's key-value metadata.
    public var keyValueMetadata: [String: String]
    /// The schema written.
    public var schema: ParquetSchema
}
