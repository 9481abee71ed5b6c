import Foundation
import Synchronization
import Hummingbird
import Imaging
import Recognition
import Testing
@testable import Server

/// The pieces that keep the server bounded: admission, deadlines, the key comparison, and which
/// status each failure becomes.
@Suite struct LimitsTests {
    @Test func admissionTurnsAwayBeyondCapacityAndTakesBackPlaces() {
        let admission = Admission(capacity: 2)
        #expect(admission.enter() && admission.enter())
        #expect(!admission.enter())
        #expect(admission.admitted == 2)
        admission.leave()
        #expect(admission.enter())
        #expect(!admission.enter())
    }

    /// A response Hummingbird drops unwritten (its head could not reach a client that left) still ends its
    /// request once: it is logged and counted, and the in-flight gauge comes back down.
    @Test func aResponseDroppedUnwrittenStillEndsItsRequestOnce() {
        let ended = Mutex(0)
        do {
            let body = ResponseBody().afterWrite { ended.withLock { $0 += 1 } }
            #expect(body.contentLength == 0)
            #expect(ended.withLock { $0 } == 0, "not before the response is gone")
        }
        #expect(ended.withLock { $0 } == 1)
    }

    @Test func deadlineReturnsTheResultInTime() async throws {
        let value = try await withDeadline(.seconds(5), expired: { Problem.badRequest("late") }) { 42 }
        #expect(value == 42)
    }

    @Test func deadlineAnswersWithoutWaitingForWorkThatCannotStop() async throws {
        // The work ignores cancellation and runs on a thread of its own, as a network mid-image does
        // (FeaturePool runs networks on Dispatch threads); it cannot end before the test lets it, so the
        // answer can only have come from the deadline. (No wall-clock bound: the timer runs on the
        // cooperative pool, which a 2-core test process shares with every other suite.)
        let release = DispatchSemaphore(value: 0)
        let ended = Mutex(false)
        await #expect(throws: Problem.busy("late", retryAfter: 1)) {
            try await withDeadline(.milliseconds(100), expired: { Problem.busy("late", retryAfter: 1) }) {
                await withCheckedContinuation { continuation in
                    DispatchQueue.global().async {
                        // Ends by itself after 10 minutes, so a deadline that waited fails the test instead of hanging it.
                        _ = release.wait(timeout: .now() + 600)
                        ended.withLock { $0 = true }
                        continuation.resume(returning: 1)
                    }
                }
            }
        }
        #expect(!ended.withLock { $0 }, "the answer waited for the work")
        release.signal()
    }

    /// The first byte of each image a network started, in order.
    final class StartLog: Sendable {
        let bytes = Mutex<[UInt8]>([])
    }

    /// Records each image it starts, then holds it until the test lets it go.
    struct HeldExtractor: FeatureExtractor {
        let hold: DispatchSemaphore
        let started: StartLog
        var featureCount: Int { 1 }
        mutating func features(of bytes: [UInt8], name: String) throws -> [Float] {
            started.bytes.withLock { $0.append(bytes[0]) }
            hold.wait()
            return [Float(bytes[0])]
        }
        mutating func timedFeatures(of bytes: [UInt8], name: String) throws -> TimedFeatures {
            TimedFeatures(features: try features(of: bytes, name: name), decode: .zero, network: .zero)
        }
    }

    /// A request past its deadline while its photo still waits for a network (the way `classify` uses
    /// both) leaves the line: no network runs for an answer nobody will get.
    // The limit only turns a regression (the photo never leaving the line) into a failure instead of a hang.
    // It counts the time the test waits for the cooperative pool, which with the other core busy and every
    // suite running at once took trivial tests ~4 minutes in CI, so it is generous.
    @Test(.timeLimit(.minutes(15))) func aRequestPastItsDeadlineLeavesTheNetworksLine() async throws {
        let hold = DispatchSemaphore(value: 0)
        let started = StartLog()
        let pool = FeaturePool(extractors: [HeldExtractor(hold: hold, started: started)], maxWaiting: 4)
        let running = Task { try await pool.features(of: [1], name: "running") }
        while started.bytes.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(5)) }
        await #expect(throws: Problem.busy("late", retryAfter: 1)) {
            try await withDeadline(.milliseconds(100), expired: { Problem.busy("late", retryAfter: 1) }) {
                try await pool.features(of: [2], name: "late")
            }
        }
        while pool.waiting > 0 { try await Task.sleep(for: .milliseconds(5)) }
        hold.signal()
        #expect(try await running.value == [1])
        hold.signal()
        #expect(try await pool.features(of: [3], name: "next") == [3])
        #expect(started.bytes.withLock { $0 } == [1, 3], "the late photo took a network")
    }

    @Test func keysCompareByEveryByte() {
        let key = Array("s3cret-key".utf8)
        #expect(ConstantTime.equal(key, key))
        #expect(!ConstantTime.equal(key, Array("s3cret-kex".utf8)))
        #expect(!ConstantTime.equal(key, Array("s3cret-key2".utf8)))
        #expect(!ConstantTime.equal(key, []))
    }

    @Test func imageErrorsBecomeTheDocumentedStatuses() {
        func status(_ error: any Error) -> Int { Int(ProblemTranslation.problem(for: error, retryAfter: 1).problem.status.code) }
        #expect(status(ImageError.notAnImage(file: "photo")) == 415)
        #expect(status(ImageError.empty(file: "photo")) == 415)
        #expect(status(ImageError.corrupt(file: "photo", detail: "bad marker")) == 422)
        #expect(status(ImageError.truncated(file: "photo", detail: "ends early")) == 422)
        #expect(status(ImageError.tooManyPixels(file: "photo", width: 9000, height: 9000, limit: 100)) == 422)
        #expect(status(RecognitionError.busy(waiting: 3)) == 503)
        let busy = ProblemTranslation.problem(for: RecognitionError.busy(waiting: 3), retryAfter: 2).problem
        #expect(busy.headers[.retryAfter] == "2")
        struct Unexpected: Error {}
        let failure = ProblemTranslation.problem(for: Unexpected(), retryAfter: 1)
        #expect(failure.problem.status == .internalServerError && failure.serverFault)
        #expect(failure.problem.detail == nil, "a 500 tells the client nothing about the server's insides")
    }
}
