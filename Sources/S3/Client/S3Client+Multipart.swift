import Foundation
import NIOCore

extension S3Client {
    /// S3 allows at most this many parts per upload.
    static let maxParts = 10_000

    /// Uploads a local file, streaming it: one PUT up to `multipartThreshold`, else a multipart upload whose
    /// parts go `multipartConcurrency` at a time and which is aborted if any part fails.
    public func uploadFile(path: String, bucket: String, key: String) async throws {
        let file = try LocalFile(path: path)
        guard file.size > Int64(configuration.multipartThreshold) else {
            _ = try await putObject(bucket: bucket, key: key, buffer: try file.read(offset: 0, count: Int(file.size)))
            return
        }
        try await uploadParts(of: file, bucket: bucket, key: key)
    }

    /// The part size for a file: the configured one, raised so the file fits in 10,000 parts.
    func partSize(for size: Int64) -> Int64 {
        let configured = Int64(configuration.partSize)
        let needed = (size + Int64(Self.maxParts) - 1) / Int64(Self.maxParts)
        return max(configured, needed)
    }

    private func uploadParts(of file: LocalFile, bucket: String, key: String) async throws {
        let partSize = partSize(for: file.size)
        let partCount = Int((file.size + partSize - 1) / partSize)
        let uploadID = try await createMultipartUpload(bucket: bucket, key: key)
        do {
            var etags = [String](repeating: "", count: partCount)
            try await withThrowingTaskGroup(of: (Int, String).self) { group in
                var next = 0
                func launch() {
                    let number = next + 1
                    let offset = Int64(next) * partSize
                    let count = Int(min(partSize, file.size - offset))
                    group.addTask {
                        let body = try file.read(offset: offset, count: count)
                        let etag = try await self.uploadPart(
                            bucket: bucket, key: key, uploadID: uploadID, number: number, body: body)
                        return (number, etag)
                    }
                    next += 1
                }
                while next < min(partCount, configuration.multipartConcurrency) { launch() }
                while let (number, etag) = try await group.next() {
                    etags[number - 1] = etag
                    if next < partCount { launch() }
                }
            }
            try await completeMultipartUpload(bucket: bucket, key: key, uploadID: uploadID, etags: etags)
        } catch {
            // Parts of an abandoned upload are billed until aborted; the abort must run even when cancelled.
            let abort = Task.detached { try? await self.abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID) }
            await abort.value
            throw error
        }
    }

    func createMultipartUpload(bucket: String, key: String) async throws -> String {
        var request = S3Request("CreateMultipartUpload", .POST, bucket: bucket, key: key)
        request.query = [("uploads", "")]
        let body = try await perform(request) { Array(try await $0.body.collect(upTo: 1 << 20).readableBytesView) }
        guard let uploadID = try XMLNode.parse(body, what: "CreateMultipartUpload").text("UploadId"), !uploadID.isEmpty
        else {
            throw S3Error.invalidResponse(what: "CreateMultipartUpload", reason: "no UploadId")
        }
        return uploadID
    }

    func uploadPart(bucket: String, key: String, uploadID: String, number: Int, body: ByteBuffer) async throws -> String {
        var request = S3Request("UploadPart", .PUT, bucket: bucket, key: key)
        request.query = [("partNumber", String(number)), ("uploadId", uploadID)]
        request.setBody(body)
        guard let etag = try await perform(request, handle: Self.drainReturningETag) else {
            throw S3Error.invalidResponse(what: "UploadPart \(number)", reason: "no ETag")
        }
        return etag
    }

    func completeMultipartUpload(bucket: String, key: String, uploadID: String, etags: [String]) async throws {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for (index, etag) in etags.enumerated() {
            xml += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\"\(XMLText.escape(etag))\"</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        var request = S3Request("CompleteMultipartUpload", .POST, bucket: bucket, key: key)
        request.query = [("uploadId", uploadID)]
        request.headers.append(("content-type", "application/xml"))
        request.setBody(Array(xml.utf8))
        try await perform(request) { response in
            let body = Array(try await response.body.collect(upTo: 1 << 20).readableBytesView)
            // S3 may answer 200 and still fail, with an <Error> document sent after the headers.
            let document = try XMLNode.parse(body, what: "CompleteMultipartUpload")
            if document.name == "Error" {
                throw S3Error.service(
                    status: 200, code: document.text("Code"), message: document.text("Message"),
                    requestID: document.text("RequestId"), bucket: bucket, key: key)
            }
        }
    }

    func abortMultipartUpload(bucket: String, key: String, uploadID: String) async throws {
        var request = S3Request("AbortMultipartUpload", .DELETE, bucket: bucket, key: key)
        request.query = [("uploadId", uploadID)]
        try await perform(request) { _ = try await $0.body.collect(upTo: Self.maxErrorBodyBytes) }
    }
}
