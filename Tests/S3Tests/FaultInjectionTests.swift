import Foundation
import Testing

@testable import S3

/// Through Resources/fault_proxy.py, which answers 503 SlowDown, resets the connection or cuts a GET's body
/// on 30 % of requests (seeded), a workload must give the same results as without faults.
@Suite struct FaultInjectionTests {
    @Test func workloadThroughAFaultyProxyMatchesTheDirectOne() async throws {
        let motoEndpoint = try await MotoServer.shared.endpoint()
        let motoPort = try #require(motoEndpoint.port)
        let proxy = try PythonProcess.Server(
            TestResources.path("fault_proxy.py"), [String(motoPort), "--rate", "0.3", "--seed", "7"])
        defer { proxy.stop() }
        let direct = try await TestClients.moto()
        let faulty = S3Client(
            configuration: TestClients.configuration(try #require(URL(string: "http://127.0.0.1:\(proxy.port)")), attempts: 12),
            credentials: StaticCredentials(TestClients.credentials))
        // A throw must still shut the clients down: an HTTPClient released unshut traps, taking every suite
        // of the test process with it.
        do {
            try await exercise(faulty: faulty, direct: direct, proxyPort: proxy.port)
        } catch {
            try? await faulty.shutdown()
            try? await direct.shutdown()
            throw error
        }
        try await faulty.shutdown()
        try await direct.shutdown()
    }

    private func exercise(faulty: S3Client, direct: S3Client, proxyPort: Int) async throws {
        let bucket = TestClients.bucketName()
        try await direct.createBucket(bucket)

        let objects = (0..<60).map { ("batch/\($0).bin", TestClients.bytes(count: 100 + $0 * 97, seed: UInt64($0))) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (key, bytes) in objects {
                group.addTask { try await faulty.putObject(bucket: bucket, key: key, bytes: bytes) }
            }
            try await group.waitForAll()
        }
        let folder = try TestResources.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("multipart.bin")
        let big = TestClients.bytes(count: 12 << 20, seed: 99)
        try Data(big).write(to: file)
        try await faulty.uploadFile(path: file.path, bucket: bucket, key: "batch/multipart.bin")

        for _ in 0..<3 {
            #expect(try await faulty.listObjects(bucket: bucket) == (try await direct.listObjects(bucket: bucket)))
        }
        for (key, bytes) in objects {
            #expect(try await faulty.getObject(bucket: bucket, key: key, maxBytes: 1 << 20) == bytes)
            #expect(try await faulty.headObject(bucket: bucket, key: key)?.size == Int64(bytes.count))
            #expect(try await faulty.getObject(bucket: bucket, key: key, range: 10...49, maxBytes: 40) == Array(bytes[10...49]))
        }
        #expect(try await faulty.getObject(bucket: bucket, key: "batch/multipart.bin", maxBytes: 16 << 20) == big)
        try await faulty.deleteObjects(bucket: bucket, keys: objects.prefix(30).map(\.0))
        #expect(try await direct.listObjects(bucket: bucket).count == 31)

        let reply = try await CredentialsFetch.send(
            .GET, "http://127.0.0.1:\(proxyPort)/__proxy_stats", timeout: .seconds(5), source: "test")
        let stats = try JSONDecoder().decode([String: Int].self, from: Data(reply.body))
        // The faults really happened, in each kind, and the results above are still exact.
        #expect(stats["slowdown", default: 0] > 5)
        #expect(stats["reset", default: 0] > 5)
        #expect(stats["truncated", default: 0] > 2)
    }
}
