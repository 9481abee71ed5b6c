/// Where an object lives: a local file path, an S3 object (`s3://bucket/key`), or a file in HDFS.
public enum StorageLocation: Sendable, Hashable, CustomStringConvertible {
    case local(path: String)
    case s3(bucket: String, key: String)
    /// An `hdfs://` URI: only Spark reads these (an input of `--engine spark`); Orchard has no HDFS client.
    case hdfs(uri: String)

    /// Parses `s3://bucket/key` (or `s3a://`, as Hadoop writes it), `hdfs://…`, or a local path.
    public init(parsing text: String) throws(StorageError) {
        for scheme in ["s3://", "s3a://"] where text.hasPrefix(scheme) {
            let rest = text.dropFirst(scheme.count)
            let bucket = rest.prefix { $0 != "/" }
            guard !bucket.isEmpty else { throw .invalidLocation(text, reason: "no bucket name") }
            let key = rest.dropFirst(bucket.count).drop { $0 == "/" }
            self = .s3(bucket: String(bucket), key: String(key))
            return
        }
        if text.hasPrefix("hdfs://") {
            self = .hdfs(uri: text)
            return
        }
        // `s3:/bucket/x` or `S3://bucket/x` meant S3; taken as a local path it would quietly become a folder `./s3:`.
        if let scheme = Self.remoteSchemes.first(where: { text.lowercased().hasPrefix($0 + ":") }) {
            throw .invalidLocation(
                text, reason: "not a well-formed \(scheme):// URL (write \(scheme)://\(scheme == "hdfs" ? "namenode/path" : "bucket/key"), "
                    + "or ./\(text) for a local path)")
        }
        guard !text.contains("://") else {
            throw .invalidLocation(text, reason: "only local paths, s3:// and hdfs:// (with --engine spark) are supported")
        }
        guard !text.isEmpty else { throw .invalidLocation(text, reason: "empty path") }
        self = .local(path: text)
    }

    /// The schemes of remote locations, lower case: text starting with one and a colon is never a local path.
    static let remoteSchemes = ["s3", "s3a", "hdfs"]

    /// The location of `name` inside this one, treated as a folder or prefix.
    public func appending(_ name: String) -> StorageLocation {
        switch self {
        case .local(let path):
            return .local(path: path.hasSuffix("/") ? path + name : path + "/" + name)
        case .s3(let bucket, let key):
            return .s3(bucket: bucket, key: key.isEmpty || key.hasSuffix("/") ? key + name : key + "/" + name)
        case .hdfs(let uri):
            return .hdfs(uri: uri.hasSuffix("/") ? uri + name : uri + "/" + name)
        }
    }

    /// The last path component (the file name).
    public var name: String {
        String(path.split(separator: "/").last ?? "")
    }

    /// The name of the folder holding this object (the image's label in Fruits-360 layouts).
    public var parentName: String {
        let parts = path.split(separator: "/")
        return parts.count >= 2 ? String(parts[parts.count - 2]) : ""
    }

    /// The path inside the file system or bucket (an S3 key, an HDFS path without its namenode).
    private var path: String {
        switch self {
        case .local(let path): return path
        case .s3(_, let key): return key
        case .hdfs(let uri):
            let afterScheme = uri.dropFirst("hdfs://".count)
            return String(afterScheme.drop { $0 != "/" })
        }
    }

    public var description: String {
        switch self {
        case .local(let path): return path
        case .s3(let bucket, let key): return "s3://\(bucket)/\(key)"
        case .hdfs(let uri): return uri
        }
    }
}
