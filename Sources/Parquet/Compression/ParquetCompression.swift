/// The page compression a writer uses (readers accept these and GZIP).
public enum ParquetCompression: String, Sendable, CaseIterable {
    /// No compression.
    case uncompressed
    /// Snappy (libsnappy), Spark's default.
    case snappy
    /// Zstandard (libzstd) at `ParquetWriterOptions.zstdLevel`.
    case zstd
    /// GZIP (zlib, deflate with a gzip header).
    case gzip

    var codec: CompressionCodec {
        switch self {
        case .uncompressed: .uncompressed
        case .snappy: .snappy
        case .zstd: .zstd
        case .gzip: .gzip
        }
    }
}
