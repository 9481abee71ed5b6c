import snappy
import z
import zstd

/// Compresses page bodies with one codec, reusing its context (a writer owns one; not shared across threads).
final class PageCompressor {
    let compression: ParquetCompression
    private let zstdLevel: Int32
    private var zstdContext: OpaquePointer?

    init(_ compression: ParquetCompression, zstdLevel: Int32) {
        self.compression = compression
        self.zstdLevel = zstdLevel
    }

    deinit {
        if let zstdContext { ZSTD_freeCCtx(zstdContext) }
    }

    /// Compresses `input` into `output` (replacing its contents); UNCOMPRESSED copies.
    func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws {
        switch compression {
        case .uncompressed:
            output.removeAll(keepingCapacity: true)
            output.append(contentsOf: input)
        case .snappy:
            let bound = snappy_max_compressed_length(input.count)
            try fill(&output, capacity: bound) { out in
                var length = bound
                let status = snappy_compress(input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
                                             UnsafeMutableRawPointer(out).assumingMemoryBound(to: CChar.self), &length)
                guard status == SNAPPY_OK else { throw ParquetError.compression(codec: "snappy", detail: "status \(status.rawValue)") }
                return length
            }
        case .zstd:
            if zstdContext == nil { zstdContext = ZSTD_createCCtx() }
            guard let context = zstdContext else { throw ParquetError.compression(codec: "zstd", detail: "no context") }
            let bound = ZSTD_compressBound(input.count)
            let level = zstdLevel
            try fill(&output, capacity: bound) { out in
                let n = ZSTD_compressCCtx(context, out, bound, input.baseAddress, input.count, level)
                if ZSTD_isError(n) != 0 {
                    throw ParquetError.compression(codec: "zstd", detail: String(cString: ZSTD_getErrorName(n)))
                }
                return n
            }
        case .gzip:
            try GzipCodec.compress(input, into: &output)
        }
    }

    /// Resizes `output` to at most `capacity` bytes and lets `body` fill it, keeping the bytes it reports.
    private func fill(_ output: inout [UInt8], capacity: Int,
                      _ body: (UnsafeMutablePointer<UInt8>) throws -> Int) throws {
        if output.count < capacity { output.append(contentsOf: repeatElement(0, count: capacity - output.count)) }
        let n = try output.withUnsafeMutableBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            return try body(base)
        }
        output.removeLast(output.count - n)
    }
}
