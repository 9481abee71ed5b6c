/// How a `ParquetFileWriter` lays out and compresses the file.
public struct ParquetWriterOptions: Sendable {
    /// Page compression.
    public var compression: ParquetCompression
    /// Rows per row group: the writer holds at most this many rows in memory.
    public var rowGroupRows: Int
    /// Target uncompressed size of a data page, in bytes (pages end on row boundaries).
    public var pageBytes: Int
    /// Most rows in one data page.
    public var pageRows: Int
    /// Dictionary-encode string and binary columns (falling back to PLAIN when it does not pay off).
    public var dictionary: Bool
    /// Largest dictionary page, in bytes, before a column chunk falls back to PLAIN.
    public var dictionaryPageBytes: Int
    /// ZSTD compression level (1 is pyarrow's default).
    public var zstdLevel: Int32

    /// Options with parquet's usual defaults (1 MiB pages and dictionaries).
    public init(compression: ParquetCompression = .snappy, rowGroupRows: Int = 100_000, pageBytes: Int = 1 << 20,
                pageRows: Int = 20_000, dictionary: Bool = true, dictionaryPageBytes: Int = 1 << 20,
                zstdLevel: Int32 = 1) {
        self.compression = compression
        self.rowGroupRows = max(1, rowGroupRows)
        self.pageBytes = max(1, pageBytes)
        self.pageRows = max(1, pageRows)
        self.dictionary = dictionary
        self.dictionaryPageBytes = max(0, dictionaryPageBytes)
        self.zstdLevel = zstdLevel
    }
}
