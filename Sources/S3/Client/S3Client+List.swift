import Foundation

extension S3Client {
    /// Every object whose key starts with `prefix`, in key order, following continuation tokens.
    public func listObjects(bucket: String, prefix: String = "") async throws -> [S3Object] {
        var objects: [S3Object] = []
        var token: String?
        repeat {
            let page = try await listPage(bucket: bucket, prefix: prefix, continuationToken: token)
            objects += page.objects
            guard objects.count <= configuration.maxListedKeys else {
                throw S3Error.invalidArgument(
                    "s3://\(bucket)/\(prefix) holds more than \(configuration.maxListedKeys) keys (maxListedKeys)")
            }
            token = page.nextToken
        } while token != nil
        return objects
    }

    /// One `ListObjectsV2` page (up to 1,000 keys) and the token of the next, if any.
    func listPage(
        bucket: String, prefix: String, continuationToken: String?
    ) async throws -> (objects: [S3Object], nextToken: String?) {
        var request = S3Request("ListObjectsV2", .GET, bucket: bucket)
        request.query = [("list-type", "2"), ("max-keys", "1000")]
        if !prefix.isEmpty { request.query.append(("prefix", prefix)) }
        if let continuationToken { request.query.append(("continuation-token", continuationToken)) }
        let body = try await perform(request) { response in
            Array(try await response.body.collect(upTo: 16 << 20).readableBytesView)
        }
        let document = try XMLNode.parse(body, what: "ListObjectsV2")
        guard document.name == "ListBucketResult" else {
            throw S3Error.invalidResponse(what: "ListObjectsV2", reason: "root element is \(document.name)")
        }
        let objects = try document.children("Contents").map { entry -> S3Object in
            guard let key = entry.text("Key"), let size = entry.text("Size").flatMap(Int64.init), size >= 0 else {
                throw S3Error.invalidResponse(what: "ListObjectsV2", reason: "entry without Key or Size")
            }
            return S3Object(
                key: key, size: size, eTag: entry.text("ETag")?.unquoted,
                lastModified: entry.text("LastModified").flatMap(Self.parseTimestamp))
        }
        let truncated = document.text("IsTruncated") == "true"
        let next = document.text("NextContinuationToken").flatMap { $0.isEmpty ? nil : $0 }
        if truncated, next == nil {
            throw S3Error.invalidResponse(what: "ListObjectsV2", reason: "truncated page without a continuation token")
        }
        return (objects, truncated ? next : nil)
    }

    /// S3's `2009-10-12T17:50:30.000Z` time stamps.
    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
