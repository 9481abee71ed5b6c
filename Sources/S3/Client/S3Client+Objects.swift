import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension S3Client {
    /// The object's bytes (or the bytes of `range`, both ends inclusive), refused past `maxBytes`.
    ///
    /// The body streams into one array sized from `Content-Length`: the object is held once.
    public func getObject(
        bucket: String, key: String, range: ClosedRange<Int64>? = nil, maxBytes: Int
    ) async throws -> [UInt8] {
        var request = S3Request("GetObject", .GET, bucket: bucket, key: key)
        if let range {
            guard range.lowerBound >= 0 else { throw S3Error.invalidArgument("negative range start") }
            request.headers.append(("range", "bytes=\(range.lowerBound)-\(range.upperBound)"))
        }
        return try await perform(request) { response in
            let declared = response.headers.first(name: "content-length").flatMap(Int64.init)
            if let declared, declared > Int64(maxBytes) {
                throw S3Error.tooLarge(bucket: bucket, key: key, size: declared, limit: maxBytes)
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Int(declared ?? 0))
            for try await chunk in response.body {
                guard bytes.count + chunk.readableBytes <= maxBytes else {
                    throw S3Error.tooLarge(
                        bucket: bucket, key: key, size: Int64(bytes.count + chunk.readableBytes), limit: maxBytes)
                }
                bytes.append(contentsOf: chunk.readableBytesView)
            }
            if let declared, Int64(bytes.count) != declared {
                // A cut connection can end a body early without an error: retry rather than return a stub.
                throw S3Error.transport(
                    operation: "GetObject", bucket: bucket, key: key,
                    reason: "body ended after \(bytes.count) of \(declared) bytes")
            }
            return bytes
        }
    }

    /// Size, ETag and type of the object, or nil when there is no such key.
    public func headObject(bucket: String, key: String) async throws -> S3ObjectMetadata? {
        let request = S3Request("HeadObject", .HEAD, bucket: bucket, key: key)
        do {
            return try await perform(request) { response in
                for try await _ in response.body {}
                guard let size = response.headers.first(name: "content-length").flatMap(Int64.init) else {
                    throw S3Error.invalidResponse(what: "HeadObject", reason: "no Content-Length")
                }
                return S3ObjectMetadata(
                    size: size, eTag: response.headers.first(name: "etag")?.unquoted,
                    contentType: response.headers.first(name: "content-type"),
                    lastModified: response.headers.first(name: "last-modified"))
            }
        } catch let error as S3Error where error.status == 404 {
            return nil
        }
    }

    /// Stores `bytes` as one object (up to 5 GiB, S3's single-PUT limit); returns its ETag.
    @discardableResult
    public func putObject(
        bucket: String, key: String, bytes: [UInt8], contentType: String? = nil
    ) async throws -> String? {
        guard bytes.count <= 5 << 30 else {
            throw S3Error.invalidArgument("\(bytes.count) bytes is over S3's 5 GiB single-PUT limit; use uploadFile")
        }
        var request = S3Request("PutObject", .PUT, bucket: bucket, key: key)
        request.setBody(bytes)
        if let contentType { request.headers.append(("content-type", contentType)) }
        return try await perform(request, handle: Self.drainReturningETag)
    }

    /// Stores a buffer as one object (internal: uploads of small files read straight into NIO buffers).
    func putObject(bucket: String, key: String, buffer: ByteBuffer) async throws -> String? {
        var request = S3Request("PutObject", .PUT, bucket: bucket, key: key)
        request.setBody(buffer)
        return try await perform(request, handle: Self.drainReturningETag)
    }

    /// Reads the (small) body so the connection goes back to the pool, and returns the ETag header.
    @Sendable static func drainReturningETag(_ response: HTTPClientResponse) async throws -> String? {
        _ = try await response.body.collect(upTo: maxErrorBodyBytes)
        return response.headers.first(name: "etag")?.unquoted
    }
}
