/// A store that writes and deletes only while `lease` is held: a run that stalled past its lease's expiry
/// (another run has taken OUT over since) must not touch the new owner's files when it wakes up.
public struct LeaseGuardedStore: ObjectStore {
    /// The store written through.
    public let base: any ObjectStore
    /// The lease every write and deletion is checked against first.
    public let lease: any StoreLease

    /// `base`, writable only while `lease` is held.
    public init(_ base: any ObjectStore, lease: any StoreLease) {
        self.base = base
        self.lease = lease
    }

    public func list(under prefix: StorageLocation) async throws -> [ObjectInfo] {
        try await base.list(under: prefix)
    }

    public func read(_ location: StorageLocation, maxBytes: Int) async throws -> [UInt8] {
        try await base.read(location, maxBytes: maxBytes)
    }

    public func read(_ location: StorageLocation, offset: Int64, count: Int) async throws -> [UInt8] {
        try await base.read(location, offset: offset, count: count)
    }

    public func size(of location: StorageLocation) async throws -> Int64? {
        try await base.size(of: location)
    }

    public func write(_ bytes: [UInt8], to location: StorageLocation) async throws {
        try await held(location)
        try await base.write(bytes, to: location)
    }

    public func upload(file path: String, to location: StorageLocation) async throws {
        try await held(location)
        try await base.upload(file: path, to: location)
    }

    public func delete(_ locations: [StorageLocation], under root: StorageLocation) async throws {
        try await held(root)
        try await base.delete(locations, under: root)
    }

    public func acquireLease(_ location: StorageLocation, holder: String, duration: Duration) async throws -> any StoreLease {
        try await base.acquireLease(location, holder: holder, duration: duration)
    }

    // Untyped `throws`: typed throws in an async function miscompiled here (Swift 6.x: corrupted strings).
    private func held(_ location: StorageLocation) async throws {
        guard await lease.isHeld else { throw StorageError.leaseLost(location.description) }
    }
}
