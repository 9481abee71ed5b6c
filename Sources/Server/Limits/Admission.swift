import Synchronization

/// Bounds the classify requests the server holds at once (running, waiting for a network, or reading
/// their body): past `capacity`, a request is turned away before its body is read, so memory stays
/// under `capacity` × the body limit whatever clients send.
final class Admission: Sendable {
    /// Requests admitted at most at once.
    let capacity: Int
    private let count = Mutex(0)

    init(capacity: Int) {
        precondition(capacity > 0, "admission capacity must be positive")
        self.capacity = capacity
    }

    /// Requests admitted now.
    var admitted: Int { count.withLock { $0 } }

    /// Takes a place if one is free.
    func enter() -> Bool {
        count.withLock { count in
            guard count < capacity else { return false }
            count += 1
            return true
        }
    }

    /// Gives back a place `enter` took.
    func leave() { count.withLock { $0 -= 1 } }
}
