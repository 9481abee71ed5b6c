/// Where an object lives: a local file path or an S3 object (`s3://bucket/key`).
public enum StorageLocation: Sendable, Hashable, CustomStringConvertible {
    case local(path: String)
    case s3(bucket: String, key: String)

    /// Parses `s3://bucket/key` (or `s3a://`, as Hadoop writes it) or a local path.
    public init(parsing text: String) throws(StorageError) {
        for scheme in ["s3://", "s3a://"] where text.hasPrefix(scheme) {
            let rest = text.dropFirst(scheme.count)
            let bucket = rest.prefix { $0 != "/" }
            guard !bucket.isEmpty else { throw .invalidLocation(text, reason: "no bucket name") }
            let key = rest.dropFirst(bucket.count).drop { $0 == "/" }
            self = .s3(bucket: String(bucket), key: String(key))
            return
        }
        guard !text.contains("://") else {
            throw .invalidLocation(text, reason: "only local paths and s3:// are supported")
        }
        guard !text.isEmpty else { throw .invalidLocation(text, reason: "empty path") }
        self = .local(path: text)
    }

    /// The location of `name` inside this one, treated as a folder or prefix.
    public func appending(_ name: String) -> StorageLocation {
        switch self {
        case .local(let path):
            return .local(path: path.hasSuffix("/") ? path + name : path + "/" + name)
        case .s3(let bucket, let key):
            return .s3(bucket: bucket, key: key.isEmpty || key.hasSuffix("/") ? key + name : key + "/" + name)
        }
    }

    /// The last path component (the file name).
    public var name: String {
        let text: String
        switch self {
        case .local(let path): text = path
        case .s3(_, let key): text = key
        }
        return String(text.split(separator: "/").last ?? "")
    }

    /// The name of the folder holding this object (the image's label in Fruits-360 layouts).
    public var parentName: String {
        let text: String
        switch self {
        case .local(let path): text = path
        case .s3(_, let key): text = key
        }
        let parts = text.split(separator: "/")
        return parts.count >= 2 ? String(parts[parts.count - 2]) : ""
    }

    public var description: String {
        switch self {
        case .local(let path): return path
        case .s3(let bucket, let key): return "s3://\(bucket)/\(key)"
        }
    }
}
