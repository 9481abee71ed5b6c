/// One object found by a listing.
public struct ObjectInfo: Sendable, Hashable {
    /// Where the object is.
    public var location: StorageLocation
    /// Its size in bytes.
    public var size: Int64

    public init(location: StorageLocation, size: Int64) {
        self.location = location
        self.size = size
    }
}

/// A place objects are listed, read and written: the local file system or S3.
///
/// Writes are atomic: an object is either absent or complete, never half-written.
public protocol ObjectStore: Sendable {
    /// Every object under `prefix` (recursively), sorted by location.
    func list(under prefix: StorageLocation) async throws -> [ObjectInfo]
    /// The whole object; refused with `StorageError.tooLarge` past `maxBytes`.
    func read(_ location: StorageLocation, maxBytes: Int) async throws -> [UInt8]
    /// The object's size, or nil when there is none.
    func size(of location: StorageLocation) async throws -> Int64?
    /// Stores `bytes` as one object.
    func write(_ bytes: [UInt8], to location: StorageLocation) async throws
    /// Stores the content of the local file at `path` as one object, streaming it.
    func upload(file path: String, to location: StorageLocation) async throws
    /// Deletes the objects; absent ones are not an error.
    func delete(_ locations: [StorageLocation]) async throws
}
