import Foundation
import Logging
import Synchronization
import Testing
@testable import Recognition
@testable import Server

/// The server in this process, over a pool whose one network the test holds: what a classify request
/// does when its client leaves while it waits.
@Suite struct ClientDepartureTests {
    /// A one-feature, two-label recogniser over `pool` (the classifier only has to answer).
    static func model(over pool: FeaturePool) throws -> ServedModel {
        let classifier = try SoftmaxClassifier(
            labels: ["apple", "pear"], standardization: Standardization(mean: [0], scale: [1]), weights: [1, -1], intercepts: [0, 0])
        let metrics = TrainingMetrics(
            trainRows: 2, skippedRows: 0, iterations: 1, finalLoss: 0, finalGradientNorm: 0, converged: true, trainAccuracy: 1, c: 1)
        let bundle = try ClassifierBundle(classifier: classifier, metrics: metrics, sources: ["test"])
        return ServedModel(recognizer: try Recognizer(bundle: bundle, pool: pool), bundleFileSHA256: "0")
    }

    /// Waits until `condition` holds, for at most `limit`; whether it did.
    static func eventually(within limit: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while try await !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// A request whose client closed the connection while its photo waited for the one busy network leaves
    /// the line at once (not at its 600 s timeout), its photo never takes the network, and it is counted as 499.
    // The limit only turns a regression into a failure instead of a hang (see LimitsTests on the shared pool).
    @Test(.timeLimit(.minutes(15))) func aRequestWhoseClientLeftLeavesTheNetworksLine() async throws {
        let hold = DispatchSemaphore(value: 0)
        let started = LimitsTests.StartLog()
        let pool = FeaturePool(extractors: [LimitsTests.HeldExtractor(hold: hold, started: started)], maxWaiting: 4)
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.requestTimeout = .seconds(600)
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let server = OrchardServer(model: try Self.model(over: pool), configuration: configuration, logger: logger)
        let bound = Mutex<Int?>(nil)
        let app = try server.application(readiness: Readiness(logger: logger)) { port in bound.withLock { $0 = port } }
        let running = Task { try await app.run() }
        // Lets every held photo go at the end, so a failure ends the test instead of hanging it.
        defer {
            for _ in 0..<3 { hold.signal() }
            running.cancel()
        }
        try #require(try await Self.eventually(within: .seconds(120)) { bound.withLock { $0 } != nil }, "the server never listened")
        let port = try #require(bound.withLock { $0 })

        let first = try LoopbackConnection(port: port)
        try first.send("POST", "/v1/classify", body: [1])
        try #require(try await Self.eventually(within: .seconds(120)) { started.bytes.withLock { $0 } == [1] })
        let leaving = try LoopbackConnection(port: port)
        try leaving.send("POST", "/v1/classify", body: [2])
        try #require(try await Self.eventually(within: .seconds(120)) { pool.waiting == 1 }, "the second photo never waited")
        leaving.close()
        // Without the fix it waits until its 600 s timeout. Half of that, because the whole suite shares this
        // process's event loops and threads: one CI run on a loaded machine took over 60 s.
        try #require(try await Self.eventually(within: .seconds(300)) { pool.waiting == 0 }, "the photo of a client that left still waits")

        hold.signal()
        #expect(await first.response().hasPrefix("HTTP/1.1 200"))
        let next = try LoopbackConnection(port: port)
        try next.send("POST", "/v1/classify", body: [3])
        hold.signal()
        #expect(await next.response().hasPrefix("HTTP/1.1 200"))
        #expect(started.bytes.withLock { $0 } == [1, 3], "the photo of a client that left took the network")

        let scrape = try LoopbackConnection(port: port)
        try scrape.send("GET", "/metrics")
        let metrics = await scrape.response()
        #expect(metrics.contains(#"orchard_http_requests_total{method="POST",route="/v1/classify",status="499"} 1"#), "\(metrics)")
        #expect(metrics.contains(#"orchard_http_requests_total{method="POST",route="/v1/classify",status="200"} 2"#))
    }
}
