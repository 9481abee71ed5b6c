import z

/// GZIP through zlib's deflate/inflate (windowBits 15 + 16 writes a gzip header; + 32 reads gzip or zlib).
enum GzipCodec {
    static func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws {
        var stream = z_stream()
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ParquetError.compression(codec: "gzip", detail: "deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.count))) + 32
        output = [UInt8](repeating: 0, count: bound)
        let produced = try output.withUnsafeMutableBufferPointer { out -> Int in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
            stream.avail_in = UInt32(input.count)
            stream.next_out = out.baseAddress
            stream.avail_out = UInt32(out.count)
            guard deflate(&stream, Z_FINISH) == Z_STREAM_END else {
                throw ParquetError.compression(codec: "gzip", detail: "deflate did not finish")
            }
            return Int(stream.total_out)
        }
        output.removeLast(output.count - produced)
    }

    static func decompress(_ input: UnsafeRawBufferPointer, uncompressedSize: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ParquetError.compression(codec: "gzip", detail: "inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        return try [UInt8](unsafeUninitializedCapacity: uncompressedSize) { out, initialized in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
            stream.avail_in = UInt32(input.count)
            stream.next_out = out.baseAddress
            stream.avail_out = UInt32(uncompressedSize)
            let status = inflate(&stream, Z_FINISH)
            guard status == Z_STREAM_END || (status == Z_BUF_ERROR && stream.avail_out == 0),
                  Int(stream.total_out) == uncompressedSize else {
                throw ParquetError.compression(codec: "gzip", detail: "corrupt stream or wrong size (status \(status))")
            }
            initialized = uncompressedSize
        }
    }
}
