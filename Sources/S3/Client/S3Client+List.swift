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
        // With `encoding-type=url` S3 percent-encodes keys in the response, as botocore always asks: a key
        // holding a control character (U+0001, say) would otherwise make the XML 1.0 document unparseable.
        request.query = [("list-type", "2"), ("max-keys", "1000"), ("encoding-type", "url")]
        if !prefix.isEmpty { request.query.append(("prefix", prefix)) }
        if let continuationToken { request.query.append(("continuation-token", continuationToken)) }
        let body = try await perform(request) { response in
            Array(try await response.body.collect(upTo: 16 << 20).readableBytesView)
        }
        return try Self.parseListPage(body)
    }

    /// A `ListBucketResult` document's objects (keys decoded when it says `EncodingType` url) and next token.
    public static func parseListPage(_ body: [UInt8]) throws -> (objects: [S3Object], nextToken: String?) {
        let document = try XMLNode.parse(body, what: "ListObjectsV2")
        guard document.name == "ListBucketResult" else {
            throw S3Error.invalidResponse(what: "ListObjectsV2", reason: "root element is \(document.name)")
        }
        // S3 encodes Delimiter, Prefix, Key and StartAfter (not NextContinuationToken, which is opaque);
        // of those only Key is read here. Spaces come back as `+`, a literal `+` as `%2B`.
        let encoded = document.text("EncodingType") == "url"
        let objects = try document.children("Contents").map { entry -> S3Object in
            guard let raw = entry.text("Key"), let size = entry.text("Size").flatMap(Int64.init), size >= 0 else {
                throw S3Error.invalidResponse(what: "ListObjectsV2", reason: "entry without Key or Size")
            }
            let key = encoded ? URIEncoding.decode(raw, plusIsSpace: true) : raw
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
