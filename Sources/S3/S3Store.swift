import Storage

/// S3 as an `ObjectStore`: `s3://bucket/key` locations mapped onto an `S3Client`, errors onto `StorageError`.
public struct S3Store: ObjectStore {
    /// The client every call goes through; the store does not shut it down.
    public let client: S3Client

    /// A store over `client`.
    public init(client: S3Client) {
        self.client = client
    }

    /// Objects under `prefix` treated as a folder (`key/…`), or the object itself when `prefix` names one.
    public func list(under prefix: StorageLocation) async throws -> [ObjectInfo] {
        let (bucket, key) = try parts(of: prefix)
        let folder = key.isEmpty || key.hasSuffix("/") ? key : key + "/"
        let objects = try await translate(prefix) { try await client.listObjects(bucket: bucket, prefix: folder) }
        if objects.isEmpty {
            // Like LocalStore: a prefix that is itself an object lists as that object; nothing at all is notFound.
            if folder != key, let head = try await translate(prefix, { try await client.headObject(bucket: bucket, key: key) }) {
                return [ObjectInfo(location: prefix, size: head.size)]
            }
            throw StorageError.notFound(prefix.description)
        }
        return objects.map { ObjectInfo(location: .s3(bucket: bucket, key: $0.key), size: $0.size, version: $0.eTag) }
            .sorted { $0.location.description < $1.location.description }
    }

    public func read(_ location: StorageLocation, maxBytes: Int) async throws -> [UInt8] {
        let (bucket, key) = try parts(of: location)
        return try await translate(location) { try await client.getObject(bucket: bucket, key: key, maxBytes: maxBytes) }
    }

    public func read(_ location: StorageLocation, offset: Int64, count: Int) async throws -> [UInt8] {
        let (bucket, key) = try parts(of: location)
        guard count > 0 else { return [] }
        return try await translate(location) {
            try await client.getObject(bucket: bucket, key: key, range: offset ... offset + Int64(count) - 1, maxBytes: count)
        }
    }

    public func size(of location: StorageLocation) async throws -> Int64? {
        let (bucket, key) = try parts(of: location)
        return try await translate(location) { try await client.headObject(bucket: bucket, key: key)?.size }
    }

    public func write(_ bytes: [UInt8], to location: StorageLocation) async throws {
        let (bucket, key) = try parts(of: location)
        try await translate(location) { _ = try await client.putObject(bucket: bucket, key: key, bytes: bytes) }
    }

    public func upload(file path: String, to location: StorageLocation) async throws {
        let (bucket, key) = try parts(of: location)
        try await translate(location) { try await client.uploadFile(path: path, bucket: bucket, key: key) }
    }

    public func delete(_ locations: [StorageLocation], under root: StorageLocation) async throws {
        let (rootBucket, rootKey) = try parts(of: root)
        let folder = rootKey.isEmpty || rootKey.hasSuffix("/") ? rootKey : rootKey + "/"
        var byBucket: [String: [String]] = [:]
        for location in locations {
            let (bucket, key) = try parts(of: location)
            guard bucket == rootBucket, key.hasPrefix(folder), key != folder else {
                throw StorageError.outside(location.description, root: root.description)
            }
            byBucket[bucket, default: []].append(key)
        }
        for (bucket, keys) in byBucket.sorted(by: { $0.key < $1.key }) {
            try await translate(.s3(bucket: bucket, key: "")) { try await client.deleteObjects(bucket: bucket, keys: keys) }
        }
    }

    public func acquireLease(_ location: StorageLocation, holder: String, duration: Duration) async throws -> any StoreLease {
        let (bucket, key) = try parts(of: location)
        return try await translate(location) {
            try await S3Lease.acquire(client: client, bucket: bucket, key: key, holder: holder, duration: duration)
        }
    }

    private func parts(of location: StorageLocation) throws(StorageError) -> (bucket: String, key: String) {
        guard case .s3(let bucket, let key) = location else {
            throw .unsupported(location.description, reason: "not an s3:// location")
        }
        return (bucket, key)
    }

    private static func bucket(of location: StorageLocation) -> String {
        if case .s3(let bucket, _) = location { return bucket }
        return location.description
    }

    /// The one place `S3Error` becomes `StorageError`.
    private func translate<T>(_ location: StorageLocation, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as S3Error {
            switch error {
            case .tooLarge(_, _, let size, let limit):
                throw StorageError.tooLarge(location.description, size: size, limit: limit)
            case _ where error.code == "NoSuchBucket":
                // Not an absent object that a caller may create: nothing can be read or written there.
                throw StorageError.io(
                    location.description,
                    reason: "bucket '\(Self.bucket(of: location))' does not exist (check its name, the region and --s3-endpoint)")
            case _ where error.isNotFound:
                throw StorageError.notFound(location.description)
            case .file(let path, let reason):
                throw StorageError.io(path, reason: reason)
            default:
                throw StorageError.io(location.description, reason: error.description)
            }
        }
    }
}
