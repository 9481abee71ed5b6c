import Hummingbird

extension ResponseBody {
    /// This body, then `done` once it has been written to the connection (or writing it failed): the
    /// moment a request really ends, for the access log and the metrics.
    func afterWrite(_ done: @escaping @Sendable () -> Void) -> ResponseBody {
        let body = self
        return ResponseBody(contentLength: contentLength) { writer in
            defer { done() }
            try await body.write(writer)
        }
    }
}
