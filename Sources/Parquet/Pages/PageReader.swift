/// Bounds that keep a hostile file from making the reader allocate without limit.
enum ReadLimits {
    /// Largest page body after decompression.
    static let maxPageBytes = 1 << 28
    /// Most levels (values including nulls) in one page.
    static let maxPageValues = 1 << 24
    /// Largest footer.
    static let maxFooterBytes = 1 << 28
}

/// Walks the pages of one column chunk held in memory: each header, then the range of its body.
struct PageReader {
    private let bytes: [UInt8]
    private var position = 0
    /// Where the chunk starts in the file, for error offsets.
    private let fileOffset: Int

    init(bytes: [UInt8], fileOffset: Int) {
        self.bytes = bytes
        self.fileOffset = fileOffset
    }

    /// The next page's header and body range, or nil at the end of the chunk.
    mutating func next() throws -> (header: PageHeader, body: Range<Int>)? {
        guard position < bytes.count else { return nil }
        var r = ThriftCompactReader(bytes, from: position)
        let header: PageHeader
        do { header = try PageHeader(from: &r) } catch ParquetError.malformed(let what, let at) {
            throw ParquetError.malformed("page header: \(what)", offset: at.map { $0 + fileOffset })
        }
        let start = r.position
        guard Int(header.compressedPageSize) <= bytes.count - start else {
            throw ParquetError.malformed("page of \(header.compressedPageSize) bytes runs past its column chunk",
                                         offset: fileOffset + position)
        }
        guard Int(header.uncompressedPageSize) <= ReadLimits.maxPageBytes else {
            throw ParquetError.malformed("page claims \(header.uncompressedPageSize) bytes uncompressed", offset: fileOffset + position)
        }
        position = start + Int(header.compressedPageSize)
        return (header, start..<position)
    }
}
