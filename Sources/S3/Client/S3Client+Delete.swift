import Crypto
import Foundation

extension S3Client {
    /// DeleteObjects takes at most this many keys per request.
    static let maxKeysPerDelete = 1000

    /// Deletes `keys` in batches of 1,000 (run in parallel); missing keys are not an error, a refused key is.
    public func deleteObjects(bucket: String, keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        let batches = stride(from: 0, to: keys.count, by: Self.maxKeysPerDelete).map {
            Array(keys[$0..<min($0 + Self.maxKeysPerDelete, keys.count)])
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for batch in batches {
                group.addTask { try await self.deleteBatch(bucket: bucket, keys: batch) }
            }
            try await group.waitForAll()
        }
    }

    /// One DeleteObjects call in quiet mode, so only failures come back.
    func deleteBatch(bucket: String, keys: [String]) async throws {
        var xml = "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>"
        for key in keys { xml += "<Object><Key>\(XMLText.escape(key))</Key></Object>" }
        xml += "</Delete>"
        let body = Array(xml.utf8)
        var request = S3Request("DeleteObjects", .POST, bucket: bucket)
        request.query = [("delete", "")]
        // S3 refuses DeleteObjects without an integrity header; Content-MD5 is the one every S3 clone knows.
        request.headers.append(("content-md5", Data(Insecure.MD5.hash(data: body)).base64EncodedString()))
        request.headers.append(("content-type", "application/xml"))
        request.setBody(body)
        let reply = try await perform(request) { Array(try await $0.body.collect(upTo: 16 << 20).readableBytesView) }
        let document = try XMLNode.parse(reply, what: "DeleteObjects")
        if let failure = document.children("Error").first {
            let code = failure.text("Code")
            guard code != "NoSuchKey" else { return }
            throw S3Error.service(
                status: 200, code: code, message: failure.text("Message"), requestID: nil, bucket: bucket,
                key: failure.text("Key"))
        }
    }
}
