/// Limits on how much a reader may decode, so a small hostile file cannot make it allocate gigabytes.
///
/// Every column chunk's decoded size is estimated from the footer (levels × bytes per level + the pages'
/// uncompressed size) when the file is opened, and re-checked from each page header before the page is
/// decompressed or expanded. Real feature parts (1,000 rows × 1,280 floats ≈ 5 MB decoded) are far below both.
public struct ParquetReadOptions: Sendable, Equatable {
    /// Most bytes one column chunk may decode to.
    public var maxDecodedBytesPerColumnChunk: Int64
    /// Most bytes all the readable column chunks of one file may decode to, as their footer claims.
    public var maxDecodedBytesPerFile: Int64

    /// Options with the given budgets (defaults: 1 GiB per column chunk, 2 GiB per file).
    public init(maxDecodedBytesPerColumnChunk: Int64 = 1 << 30, maxDecodedBytesPerFile: Int64 = 2 << 30) {
        self.maxDecodedBytesPerColumnChunk = maxDecodedBytesPerColumnChunk
        self.maxDecodedBytesPerFile = maxDecodedBytesPerFile
    }
}
