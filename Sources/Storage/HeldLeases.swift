import Synchronization

/// The leases this process holds, so that an interrupt (Ctrl-C, SIGTERM) can give them back before the
/// process exits: an S3 lease left behind would refuse the next run of the same command until it expires.
public final class HeldLeases: Sendable {
    /// This process's leases.
    public static let shared = HeldLeases()

    private let leases = Mutex<[ObjectIdentifier: any StoreLease]>([:])

    /// Whether any lease is held.
    public var isEmpty: Bool { leases.withLock { $0.isEmpty } }

    /// Records `lease` as held (a store calls this once it has it).
    public func add(_ lease: some StoreLease & AnyObject) {
        leases.withLock { $0[ObjectIdentifier(lease)] = lease }
    }

    /// Forgets `lease` (released).
    public func remove(_ lease: some StoreLease & AnyObject) {
        _ = leases.withLock { $0.removeValue(forKey: ObjectIdentifier(lease)) }
    }

    /// Gives every held lease back.
    public func releaseAll() async {
        let all = leases.withLock { held in
            defer { held.removeAll() }
            return Array(held.values)
        }
        for lease in all { await lease.release() }
    }
}
