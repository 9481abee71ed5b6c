import Hummingbird
import Synchronization

extension ResponseBody {
    /// This body, then `done` once it has been written to the connection, writing it failed, or the
    /// response was dropped unwritten (its head could not be sent to a client that left): the moment a
    /// request really ends, for the access log and the metrics.
    func afterWrite(_ done: @escaping @Sendable () -> Void) -> ResponseBody {
        let body = self
        let ending = RequestEnding(done)
        return ResponseBody(contentLength: contentLength) { writer in
            defer { ending.end() }
            try await body.write(writer)
        }
    }
}

/// Calls its action once: when told to, or when the last reference to it goes (the body was never written).
private final class RequestEnding: Sendable {
    private let action: Mutex<(@Sendable () -> Void)?>

    init(_ action: @escaping @Sendable () -> Void) {
        self.action = Mutex(action)
    }

    func end() {
        action.withLock { $0.take() }?()
    }

    deinit { end() }
}
