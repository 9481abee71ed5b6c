import Dispatch
import Foundation

/// Runs feature extraction on a fixed set of worker threads, one extractor (one batch-1 network) each.
///
/// Batch 1 per thread is the fastest shape on this CPU (see bench/), and keeps each worker's
/// activations in its own core's cache.
public final class FeaturePool: @unchecked Sendable {
    private var extractors: [any FeatureExtractor]
    private let queue = DispatchQueue(label: "orchard.feature-pool", qos: .userInitiated)

    /// A pool with one worker per extractor.
    public init(extractors: [any FeatureExtractor]) {
        precondition(!extractors.isEmpty, "a pool needs at least one extractor")
        self.extractors = extractors
    }

    /// The number of worker threads.
    public var workerCount: Int { extractors.count }

    /// The feature length of the pool's extractors.
    public var featureCount: Int { extractors[0].featureCount }

    /// Features (or the error) for each input, in input order. One call runs at a time.
    public func run(_ inputs: [(name: String, bytes: Result<[UInt8], Error>)]) async -> [Result<[Float], Error>] {
        await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: self.runBlocking(inputs))
            }
        }
    }

    private func runBlocking(_ inputs: [(name: String, bytes: Result<[UInt8], Error>)]) -> [Result<[Float], Error>] {
        let results = ResultSlots(count: inputs.count)
        let next = Counter()
        let workers = min(extractors.count, max(inputs.count, 1))
        extractors.withUnsafeMutableBufferPointer { extractors in
            let extractors = UnsafeSendableBuffer(extractors)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                while let index = next.take(below: inputs.count) {
                    let input = inputs[index]
                    results.set(index, Result {
                        try extractors.base[worker].features(of: try input.bytes.get(), name: input.name)
                    })
                }
            }
        }
        return results.values
    }
}

/// A shared index handed out once per item.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.withLock {
            guard value < limit else { return nil }
            defer { value += 1 }
            return value
        }
    }
}

/// Result slots that workers fill at distinct indices.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<[Float], Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<[Float], Error>) {
        lock.withLock { slots[index] = result }
    }

    var values: [Result<[Float], Error>] {
        lock.withLock { slots.map { $0! } }
    }
}

/// Each worker touches only its own element, so sharing the buffer across threads is safe.
private struct UnsafeSendableBuffer: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<any FeatureExtractor>
    init(_ base: UnsafeMutableBufferPointer<any FeatureExtractor>) { self.base = base }
}
