import Hummingbird
import NIOCore
import Synchronization

/// Bytes counted as they pass, read by whoever holds the counter.
final class ByteCount: Sendable {
    private let count = Mutex(0)
    /// The bytes counted so far.
    var value: Int { count.withLock { $0 } }
    func add(_ bytes: Int) { count.withLock { $0 += bytes } }
}

extension RequestBody {
    /// This body, adding to `count` each chunk as the server reads it: what a request really sent, which
    /// for a body refused from its `Content-Length` is nothing.
    func counted(into count: ByteCount) -> RequestBody {
        RequestBody(asyncSequence: CountedRequestBody(base: self, count: count))
    }
}

/// `RequestBody.counted(into:)`'s sequence.
struct CountedRequestBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let count: ByteCount

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let count: ByteCount

        mutating func next() async throws -> ByteBuffer? {
            let chunk = try await base.next()
            if let chunk { count.add(chunk.readableBytes) }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), count: count) }
}
