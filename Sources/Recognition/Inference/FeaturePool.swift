import Synchronization

/// Feature extraction shared by any number of callers: a fixed set of networks (one per core, batch 1
/// each), one image per network at a time, the other callers' images in one line.
///
/// Batch 1 per network is the fastest shape on this CPU (see bench/), and keeps each network's
/// activations in its own core's cache. Each network runs on a thread of its own (`NetworkThread`), never on
/// Swift's cooperative pool, so a long inference does not starve other tasks. A network that finishes an
/// image takes the next one from the line itself, on its own thread: it does not wait for a task to be
/// scheduled and hand it over, which on a busy machine means waiting for a core the networks hold.
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
    public var waiting: Int { state.withLock { $0.line.count } }

    /// The features of the image in `bytes`; `name` labels errors. Waits while every network is busy; a
    /// caller cancelled while it waits leaves the line (`CancellationError`) and its image is never run.
    public func features(of bytes: [UInt8], name: String) async throws -> [Float] {
        try await onNetwork { try $0.features(of: bytes, name: name) }
    }

    /// As `features`, with the time decoding and the network took (waiting in line not included).
    public func timedFeatures(of bytes: [UInt8], name: String) async throws -> TimedFeatures {
        try await onNetwork { try $0.timedFeatures(of: bytes, name: name) }
    }

    /// Runs `work` on a network, on that network's own thread, as soon as one is free.
    private func onNetwork<T: Sendable>(_ work: @escaping @Sendable (inout any FeatureExtractor) throws -> T) async throws -> T {
        let ticket = Ticket()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
                let job = Job(ticket: ticket) { extractor in
                    if let extractor {
                        continuation.resume(with: Result { try work(&extractor.pointee) })
                    } else {
                        continuation.resume(throwing: CancellationError())
                    }
                }
                switch submit(job) {
                case .accepted: break
                case .full: continuation.resume(throwing: RecognitionError.busy(waiting: maxWaiting))
                case .cancelled: job.run(nil)
                }
            }
        } onCancel: {
            let left = state.withLock { state in
                state.line.firstIndex { $0.ticket === ticket }.map { state.line.remove(at: $0) }
            }
            left?.run(nil)
        }
    }

    /// What became of a job: started or in line (`accepted`), turned away, or not taken (already cancelled).
    private enum Submission { case accepted, full, cancelled }

    /// Starts `job` on a free network, or puts it in the line if there is room. Called from the caller's task.
    private func submit(_ job: Job) -> Submission {
        // Deciding and joining the line happen under one lock, and a cancellation handler that ran before it
        // has already set the flag read here: no job is lost between the two.
        let (submission, free): (Submission, ExtractorSlot?) = state.withLock { state in
            if Task.isCancelled { return (.cancelled, nil) }
            if let slot = state.idle.popLast() { return (.accepted, slot) }
            guard state.line.count < maxWaiting else { return (.full, nil) }
            state.line.append(job)
            return (.accepted, nil)
        }
        if let free { free.thread.run { [self] in drain(free, startingWith: job) } }
        return submission
    }

    /// On `slot`'s thread: runs `job`, then the line's jobs in order until it is empty, then frees the slot.
    private func drain(_ slot: ExtractorSlot, startingWith job: Job) {
        var job = job
        while true {
            withUnsafeMutablePointer(to: &slot.extractor) { job.run($0) }
            let next: Job? = state.withLock { state in
                if state.line.isEmpty {
                    state.idle.append(slot)
                    return nil
                }
                return state.line.removeFirst()
            }
            guard let next else { return }
            job = next
        }
    }

    private struct State {
        var idle: [ExtractorSlot]
        /// Jobs waiting for a network, oldest first (at most `maxWaiting`).
        var line: [Job] = []
    }
}

/// Identifies one caller's job, so its cancellation finds it in the line.
private final class Ticket: Sendable {}

/// One caller's image: `run` is called exactly once, by whoever takes the job out of the line (or starts it
/// on a free network), with the network's extractor, or with nil when the caller was cancelled first.
private struct Job: Sendable {
    let ticket: Ticket
    let run: @Sendable (UnsafeMutablePointer<any FeatureExtractor>?) -> Void
}

/// One network, used by one job at a time: the pool hands each slot to a single drain between taking it
/// from `idle` and putting it back, which is what makes the mutable extractor safe to send.
private final class ExtractorSlot: @unchecked Sendable {
    var extractor: any FeatureExtractor
    /// The thread the network runs on, always the same.
    let thread: NetworkThread
    init(_ extractor: any FeatureExtractor, thread name: String) {
        self.extractor = extractor
        thread = NetworkThread(name: name)
    }
}
