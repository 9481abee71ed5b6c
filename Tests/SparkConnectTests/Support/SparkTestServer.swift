import Foundation
import OrchardTestKit
import Testing
@testable import SparkConnect

/// The local Spark Connect server the live tests share: started once with
/// scripts/spark-connect-server.sh on a free port (never whatever already answers on 15002), stopped at
/// the end.
actor SparkTestServer {
    static let shared = SparkTestServer()

    static let port = (try? FreePort.pick()) ?? 15_002

    /// The repository root, found from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private var startedByUs = false
    private var session: SparkSession?

    /// A connected session, starting the server first if nothing answers on the port.
    func connectedSession() async throws -> SparkSession {
        if let session { return session }
        let script = Self.repositoryRoot.appendingPathComponent("scripts/spark-connect-server.sh").path
        if !startedByUs {
            let started = try ChildProcess.runDetached("/bin/bash", [script, "start", "\(Self.port)"])
            guard started == 0 else {
                throw ChildProcess.Failure(
                    "\(script) start \(Self.port) failed (\(started)); see ${TMPDIR:-/tmp}/orchard-spark-connect-\(Self.port)/")
            }
            startedByUs = true
        }
        // The JVM opens the port a few seconds before it serves the first query.
        let policy = RetryPolicy(maxRetries: 40, initialBackoff: .milliseconds(250), multiplier: 1.5, maxBackoff: .seconds(2))
        let session = try await SparkSession.connect(url: "sc://127.0.0.1:\(Self.port)", retryPolicy: policy)
        self.session = session
        return session
    }

    /// Stops the session, and the server if this process started it.
    func shutDown() async {
        await session?.stop()
        session = nil
        if startedByUs {
            let script = Self.repositoryRoot.appendingPathComponent("scripts/spark-connect-server.sh").path
            _ = try? ChildProcess.runDetached("/bin/bash", [script, "stop", "\(Self.port)"])
            startedByUs = false
        }
    }
}

/// Wraps the live suite: the server outlives every test in it and stops after the last one.
struct SparkServerTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        do {
            try await function()
        } catch {
            await SparkTestServer.shared.shutDown()
            throw error
        }
        await SparkTestServer.shared.shutDown()
    }
}

extension Trait where Self == SparkServerTrait {
    /// Shares one local Spark Connect server across a suite.
    static var sparkServer: Self { SparkServerTrait() }
}
