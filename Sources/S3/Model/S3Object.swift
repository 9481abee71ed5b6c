import Foundation

/// One object of a listing.
public struct S3Object: Sendable, Hashable {
    /// The object's key.
    public var key: String
    /// Its size in bytes.
    public var size: Int64
    /// Its ETag, quotes removed (the MD5 hex for single-part uploads).
    public var eTag: String?
    /// When it was last written.
    public var lastModified: Date?

    /// An entry from its parts.
    public init(key: String, size: Int64, eTag: String? = nil, lastModified: Date? = nil) {
        self.key = key
        self.size = size
        self.eTag = eTag
        self.lastModified = lastModified
    }
}

/// What `headObject` reports about an object.
public struct S3ObjectMetadata: Sendable, Hashable {
    /// Size in bytes.
    public var size: Int64
    /// ETag, quotes removed.
    public var eTag: String?
    /// The `Content-Type` it was stored with.
    public var contentType: String?
    /// The `Last-Modified` header as sent (an HTTP date).
    public var lastModified: String?
}

extension String {
    /// The ETag without its surrounding quotes.
    var unquoted: String {
        var text = self
        if text.hasPrefix("\"") { text.removeFirst() }
        if text.hasSuffix("\"") { text.removeLast() }
        return text
    }
}
