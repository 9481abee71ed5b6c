/// One object found by a listing.
public struct ObjectInfo: Sendable, Hashable {
    /// Where the object is.
    public var location: StorageLocation
    /// Its size in bytes.
    public var size: Int64
    /// What changes when its content does: the ETag on S3, the modification time locally; nil when unknown.
    public var version: String?

    public init(location: StorageLocation, size: Int64, version: String? = nil) {
        self.location = location
        self.size = size
        self.version = version
    }
}

/// A place objects are listed, read and written: the local file system or S3.
///
/// Writes are atomic and durable: an object is either absent or complete, never half-written, and a
/// completed write survives a crash.
public protocol ObjectStore: Sendable {
    /// Every object under `prefix` (recursively), sorted by location.
    func list(under prefix: StorageLocation) async throws -> [ObjectInfo]
    /// The whole object; refused with `StorageError.tooLarge` past `maxBytes`.
    func read(_ location: StorageLocation, maxBytes: Int) async throws -> [UInt8]
    /// `count` bytes of the object from `offset` (fewer at its end).
    func read(_ location: StorageLocation, offset: Int64, count: Int) async throws -> [UInt8]
    /// The object's size, or nil when there is none.
    func size(of location: StorageLocation) async throws -> Int64?
    /// Stores `bytes` as one object.
    func write(_ bytes: [UInt8], to location: StorageLocation) async throws
    /// Stores the content of the local file at `path` as one object, streaming it.
    func upload(file path: String, to location: StorageLocation) async throws
    /// Deletes the objects, all inside `root`; absent ones are not an error. Nothing outside `root`, nor
    /// `root` itself, is removed (a local folder emptied below `root` goes, as an S3 prefix would).
    func delete(_ locations: [StorageLocation], under root: StorageLocation) async throws
    /// Takes the exclusive lease named by `location` for `holder` (a description of this run), or throws
    /// `StorageError.leaseHeld` naming the live holder. A lease not renewed within `duration` (S3) or whose
    /// process died (local) can be taken over.
    func acquireLease(_ location: StorageLocation, holder: String, duration: Duration) async throws -> any StoreLease
}

/// An exclusive lease on a store location, held until released (or, on S3, until it expires unrenewed).
public protocol StoreLease: Sendable {
    /// Whether the lease is still ours (false once lost to expiry and taken by another run).
    var isHeld: Bool { get async }
    /// Gives the lease up.
    func release() async
}
