/// What went wrong with an object store, and where.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidLocation(String, reason: String)
    case notFound(String)
    case tooLarge(String, size: Int64, limit: Int)
    case io(String, reason: String)
    case unsupported(String, reason: String)
    /// Another run holds the lease on this location.
    case leaseHeld(String, holder: String)
    /// A location that must lie inside another does not.
    case outside(String, root: String)

    /// This run's lease ran out while it stalled (another run may own `location` now): nothing more is written.
    public static func leaseLost(_ location: String) -> StorageError {
        .io(location, reason: "this run lost its lease on the output (it stalled past the lease's expiry, and another run "
                + "may own it now), so it writes nothing more; run the command again once the other run is done")
    }

    public var description: String {
        switch self {
        case .invalidLocation(let text, let reason): return "invalid location '\(text)': \(reason)"
        case .notFound(let location): return location.hasPrefix("s3://") ? "\(location): no such object" : "\(location): no such file or folder"
        case .tooLarge(let location, let size, let limit):
            return "\(location): \(size) bytes is over the limit of \(limit) bytes"
        case .io(let location, let reason): return "\(location): \(reason)"
        case .unsupported(let location, let reason): return "\(location): \(reason)"
        case .leaseHeld(let location, let holder): return "\(location) is in use by another run (\(holder))"
        case .outside(let location, let root): return "\(location) is not inside \(root)"
        }
    }
}
