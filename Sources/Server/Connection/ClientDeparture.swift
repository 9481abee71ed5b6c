import Synchronization

/// Whether the client of one connection has gone — closed its side or dropped the connection — and who
/// to tell: a request whose client left must not keep its place in the networks' line.
final class ClientDeparture: Sendable {
    /// The classify request's connection, set by the classify gate for the handler below it (the
    /// generated API layer hands handlers no request context).
    @TaskLocal static var current: ClientDeparture?

    /// What a request whose client left ends with (logged and counted as 499; nobody reads the answer).
    struct Gone: Error {}

    private let state = Mutex(State())

    private struct State {
        var gone = false
        var observers: [Int: @Sendable () -> Void] = [:]
        var nextKey = 0
    }

    /// The client has gone: tells each observer, once.
    func depart() {
        let observers: [@Sendable () -> Void] = state.withLock { state in
            guard !state.gone else { return [] }
            state.gone = true
            defer { state.observers = [:] }
            return Array(state.observers.values)
        }
        for observer in observers { observer() }
    }

    /// Calls `observer` when the client goes (at once if it has gone); the key returned stops that (`forget`).
    func observe(_ observer: @escaping @Sendable () -> Void) -> Int? {
        let key: Int? = state.withLock { state in
            guard !state.gone else { return nil }
            defer { state.nextKey += 1 }
            state.observers[state.nextKey] = observer
            return state.nextKey
        }
        if key == nil { observer() }
        return key
    }

    /// Stops telling the observer `observe` gave `key` (its request has ended).
    func forget(_ key: Int?) {
        guard let key else { return }
        _ = state.withLock { $0.observers.removeValue(forKey: key) }
    }
}
