import Foundation
import Recognition
import Synchronization
import Testing

/// The shared network pool: many callers at once, never more images in flight than networks, and a
/// bounded line that says "busy" instead of growing.
@Suite struct FeaturePoolTests {
    /// Counts how many extractions run at once; each returns its input's first byte as its feature.
    final class Gauge: Sendable {
        let state = Mutex((now: 0, peak: 0, done: 0))
        func enter() { state.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) } }
        func leave() { state.withLock { $0.now -= 1; $0.done += 1 } }
    }

    struct SlowExtractor: FeatureExtractor {
        let gauge: Gauge
        let hold: DispatchSemaphore?
        var featureCount: Int { 1 }
        mutating func features(of bytes: [UInt8], name: String) throws -> [Float] {
            gauge.enter()
            defer { gauge.leave() }
            if let hold { hold.wait() } else { usleep(2_000) }
            guard let first = bytes.first else { throw RecognitionError.invalidOption(name: name, reason: "empty image") }
            return [Float(first)]
        }
        mutating func timedFeatures(of bytes: [UInt8], name: String) throws -> TimedFeatures {
            TimedFeatures(features: try features(of: bytes, name: name), decode: .zero, network: .zero)
        }
    }

    @Test func manyCallersGetTheirOwnResultsWithAtMostOneImagePerNetwork() async throws {
        let gauge = Gauge()
        let pool = FeaturePool(extractors: (0..<2).map { _ in SlowExtractor(gauge: gauge, hold: nil) })
        let results = try await withThrowingTaskGroup(of: (Int, [Float]).self) { group in
            for i in 0..<60 {
                group.addTask { (i, try await pool.features(of: [UInt8(i)], name: "image \(i)")) }
            }
            return try await group.reduce(into: [Int: [Float]]()) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 60)
        #expect(results.allSatisfy { $0.value == [Float($0.key)] })
        let state = gauge.state.withLock { $0 }
        #expect(state.peak <= 2 && state.peak >= 1 && state.done == 60, "\(state)")
        #expect(pool.waiting == 0)
    }

    /// The threads images ran on, in order.
    final class ThreadLog: Sendable {
        let entries = Mutex<[(thread: pthread_t, name: String?)]>([])
    }

    /// Records the thread each image ran on.
    struct ThreadRecorder: FeatureExtractor {
        let log: ThreadLog
        var featureCount: Int { 1 }
        mutating func features(of bytes: [UInt8], name: String) throws -> [Float] {
            log.entries.withLock { $0.append((pthread_self(), Thread.current.name)) }
            return [Float(bytes.first ?? 0)]
        }
        mutating func timedFeatures(of bytes: [UInt8], name: String) throws -> TimedFeatures {
            TimedFeatures(features: try features(of: bytes, name: name), decode: .zero, network: .zero)
        }
    }

    /// A network keeps its thread (and so the core its activations are cached on) from one image to the next,
    /// whichever task asks.
    @Test func eachNetworkRunsEveryImageOnTheSameThreadOfItsOwn() async throws {
        let log = ThreadLog()
        let pool = FeaturePool(extractors: [ThreadRecorder(log: log)])
        for i in 0..<20 {
            let features = try await Task.detached { try await pool.features(of: [UInt8(i)], name: "image \(i)") }.value
            #expect(features == [Float(i)])
        }
        let threads = log.entries.withLock { $0 }
        #expect(threads.count == 20)
        #expect(threads.allSatisfy { pthread_equal($0.thread, threads[0].thread) != 0 }, "the network changed threads")
        #expect(threads.allSatisfy { $0.name == "orchard-net-0" }, "\(threads.map(\.name))")
    }

    @Test func pastTheWaitingLimitACallerIsToldBusyAndTheOthersStillFinish() async throws {
        let hold = DispatchSemaphore(value: 0)
        let pool = FeaturePool(extractors: [SlowExtractor(gauge: Gauge(), hold: hold)], maxWaiting: 1)
        let running = Task { try await pool.features(of: [1], name: "running") }
        let waiting = Task { try await pool.features(of: [2], name: "waiting") }
        // Until one caller holds the network and one waits, a third cannot be refused deterministically.
        while pool.waiting < 1 { try await Task.sleep(for: .milliseconds(5)) }
        await #expect(throws: RecognitionError.busy(waiting: 1)) { try await pool.features(of: [3], name: "refused") }
        hold.signal()
        hold.signal()
        #expect(try await running.value == [1])
        #expect(try await waiting.value == [2])
    }

    /// A request that timed out, or whose client left, gives up its place: its image never takes a network.
    // The limit only turns a regression (the photo never leaving the line) into a failure instead of a hang.
    // It counts the time the test waits for the cooperative pool, which with the other core busy and every
    // suite running at once took trivial tests ~4 minutes in CI, so it is generous.
    @Test(.timeLimit(.minutes(15))) func aCallerCancelledWhileWaitingLeavesTheLineAndItsImageNeverRuns() async throws {
        let hold = DispatchSemaphore(value: 0)
        let gauge = Gauge()
        let pool = FeaturePool(extractors: [SlowExtractor(gauge: gauge, hold: hold)], maxWaiting: 4)
        let running = Task { try await pool.features(of: [1], name: "running") }
        while gauge.state.withLock({ $0.now }) < 1 { try await Task.sleep(for: .milliseconds(5)) }
        let givenUp = Task { try await pool.features(of: [2], name: "given up") }
        let kept = Task { try await pool.features(of: [3], name: "kept") }
        while pool.waiting < 2 { try await Task.sleep(for: .milliseconds(5)) }
        givenUp.cancel()
        await #expect(throws: CancellationError.self) { try await givenUp.value }
        #expect(pool.waiting == 1)
        let cancelledFirst = Task {
            while !Task.isCancelled { await Task.yield() }
            return try await pool.features(of: [4], name: "cancelled before it asked")
        }
        cancelledFirst.cancel()
        await #expect(throws: CancellationError.self) { try await cancelledFirst.value }
        hold.signal()
        hold.signal()
        #expect(try await running.value == [1])
        #expect(try await kept.value == [3])
        #expect(gauge.state.withLock { $0.done } == 2, "only the two images still wanted ran")
        #expect(pool.waiting == 0)
    }
}

/// The top-K of a probability vector.
@Suite struct PredictionTests {
    @Test func topIsSortedAndTiesGoToTheEarlierLabel() {
        let prediction = Prediction(probabilities: [0.1, 0.4, 0.4, 0.1], labels: ["a", "b", "c", "d"], top: 3)
        #expect(prediction.label == "b" && prediction.probability == 0.4)
        #expect(prediction.top.map(\.label) == ["b", "c", "a"])
    }

    @Test func topLargerThanTheClassCountGivesEveryClass() {
        let prediction = Prediction(probabilities: [0.3, 0.7], labels: ["apple", "banana"], top: 5)
        #expect(prediction.top.map(\.label) == ["banana", "apple"])
    }
}
