import Synchronization

/// Feature extraction shared by any number of callers: a fixed set of networks (one per core, batch 1
/// each), one checked out per image, callers waiting in line when all are busy.
///
/// Batch 1 per network is the fastest shape on this CPU (see bench/), and keeps each network's
/// activations in its own core's cache. Each network runs on a thread of its own (`NetworkThread`), never on
/// Swift's cooperative pool, so a long inference does not starve other tasks.
public final class FeaturePool: Sendable {
    private let state: Mutex<State>
    /// Callers allowed to wait for a network; beyond it `features` throws `.busy` (for servers that
    /// must answer "try later" rather than queue without bound).
    public let maxWaiting: Int
    /// The number of networks, i.e. images in flight at once.
    public let workerCount: Int
    /// The feature length of the pool's extractors.
    public let featureCount: Int

    /// A pool over `extractors` (at least one, all with the same feature length).
    public init(extractors: [any FeatureExtractor], maxWaiting: Int = .max) {
        precondition(!extractors.isEmpty, "a pool needs at least one extractor")
        workerCount = extractors.count
        featureCount = extractors[0].featureCount
        self.maxWaiting = maxWaiting
        state = Mutex(State(idle: extractors.enumerated().map { ExtractorSlot($0.element, thread: "orchard-net-\($0.offset)") }))
    }

    deinit {
        state.withLock { state in
            for slot in state.idle { slot.thread.stop() }
        }
    }

    /// Callers waiting for a network now.
    public var waiting: Int { state.withLock { $0.waiters.count } }

    /// The features of the image in `bytes`; `name` labels errors. Waits while every network is busy.
    public func features(of bytes: [UInt8], name: String) async throws -> [Float] {
        try await onNetwork { try $0.features(of: bytes, name: name) }
    }

    /// As `features`, with the time decoding and the network took (waiting in line not included).
    public func timedFeatures(of bytes: [UInt8], name: String) async throws -> TimedFeatures {
        try await onNetwork { try $0.timedFeatures(of: bytes, name: name) }
    }

    /// Runs `work` on a checked-out network, on that network's own thread.
    private func onNetwork<T: Sendable>(_ work: @escaping @Sendable (inout any FeatureExtractor) throws -> T) async throws -> T {
        let slot = try await checkOut()
        defer { checkIn(slot) }
        return try await withCheckedThrowingContinuation { continuation in
            slot.thread.run {
                continuation.resume(with: Result { try work(&slot.extractor) })
            }
        }
    }

    private func checkOut() async throws -> ExtractorSlot {
        enum Outcome { case ready(ExtractorSlot), wait, full }
        // The continuation is registered under the same lock that decides to wait, so a check-in between
        // deciding and registering cannot be missed.
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ExtractorSlot, Error>) in
            let outcome: Outcome = state.withLock { state in
                if let slot = state.idle.popLast() { return .ready(slot) }
                guard state.waiters.count < maxWaiting else { return .full }
                state.waiters.append(continuation)
                return .wait
            }
            switch outcome {
            case .ready(let slot): continuation.resume(returning: slot)
            case .full: continuation.resume(throwing: RecognitionError.busy(waiting: maxWaiting))
            case .wait: break
            }
        }
    }

    private func checkIn(_ slot: ExtractorSlot) {
        let waiter: CheckedContinuation<ExtractorSlot, Error>? = state.withLock { state in
            if state.waiters.isEmpty {
                state.idle.append(slot)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume(returning: slot)
    }

    private struct State {
        var idle: [ExtractorSlot]
        var waiters: [CheckedContinuation<ExtractorSlot, Error>] = []
    }
}

/// One network, used by one caller at a time: the pool hands each slot to a single caller between
/// check-out and check-in, which is what makes the mutable extractor safe to send.
private final class ExtractorSlot: @unchecked Sendable {
    var extractor: any FeatureExtractor
    /// The thread the network runs on, always the same.
    let thread: NetworkThread
    init(_ extractor: any FeatureExtractor, thread name: String) {
        self.extractor = extractor
        thread = NetworkThread(name: name)
    }
}
