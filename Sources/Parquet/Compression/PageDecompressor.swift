import snappy
import z
import zstd

/// Decompresses page bodies; the output size comes from the page header and is checked, never trusted blindly.
enum PageDecompressor {
    /// Decompresses `input` (a page body) into exactly `uncompressedSize` bytes.
    static func decompress(_ codec: CompressionCodec, _ input: UnsafeRawBufferPointer,
                           uncompressedSize: Int) throws -> [UInt8] {
        switch codec {
        case .uncompressed:
            guard input.count == uncompressedSize else {
                throw ParquetError.malformed("uncompressed page of \(input.count) bytes, header says \(uncompressedSize)", offset: nil)
            }
            return Array(input)
        case .snappy:
            var length = 0
            guard snappy_uncompressed_length(input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
                                             &length) == SNAPPY_OK, length == uncompressedSize else {
                throw ParquetError.compression(codec: "snappy", detail: "bad stream or size (header says \(uncompressedSize))")
            }
            return try [UInt8](unsafeUninitializedCapacity: uncompressedSize) { out, initialized in
                var n = uncompressedSize
                let status = snappy_uncompress(input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
                                               UnsafeMutableRawPointer(out.baseAddress)?.assumingMemoryBound(to: CChar.self), &n)
                guard status == SNAPPY_OK, n == uncompressedSize else {
                    throw ParquetError.compression(codec: "snappy", detail: "corrupt stream")
                }
                initialized = n
            }
        case .zstd:
            let frameSize = ZSTD_getFrameContentSize(input.baseAddress, input.count)
            // ZSTD_CONTENTSIZE_ERROR is (0ULL - 2): not a zstd frame at all.
            if frameSize == UInt64.max - 1 { throw ParquetError.compression(codec: "zstd", detail: "not a zstd frame") }
            // A frame that records its size must agree with the header before the buffer is allocated
            // (UInt64.max is ZSTD_CONTENTSIZE_UNKNOWN).
            if frameSize != UInt64.max, frameSize != UInt64(uncompressedSize) {
                throw ParquetError.compression(codec: "zstd", detail: "frame holds \(frameSize) bytes, header says \(uncompressedSize)")
            }
            return try [UInt8](unsafeUninitializedCapacity: uncompressedSize) { out, initialized in
                let n = ZSTD_decompress(out.baseAddress, uncompressedSize, input.baseAddress, input.count)
                if ZSTD_isError(n) != 0 {
                    throw ParquetError.compression(codec: "zstd", detail: String(cString: ZSTD_getErrorName(n)))
                }
                guard n == uncompressedSize else {
                    throw ParquetError.compression(codec: "zstd", detail: "\(n) bytes, header says \(uncompressedSize)")
                }
                initialized = n
            }
        case .gzip:
            return try GzipCodec.decompress(input, uncompressedSize: uncompressedSize)
        default:
            throw ParquetError.unsupported("compression codec \(codec.name)")
        }
    }
}
