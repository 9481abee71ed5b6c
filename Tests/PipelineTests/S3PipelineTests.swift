import Foundation
import OrchardTestKit
import S3
import Storage
import Testing
@testable import Pipeline

/// `featurize` with s3:// input and output against a local moto server (scripts/moto-server.sh, loopback only).
@Suite(.serialized) struct S3PipelineTests {
    @Test func featurizesFromS3IntoS3AndResumesAfterAnInterruption() async throws {
        let endpoint = try Self.startMoto()
        let environment = Self.motoEnvironment
        let client = try Self.motoClient(endpoint)
        defer { Task { try? await client.shutdown() } }
        try await client.createBucket("fruits")
        let local = try TestSupport.sampleFolder(classes: ["Kiwi 1", "Mango 1"], perClass: 6)
        for object in try await LocalStore().list(under: .local(path: local)) {
            let relative = String(object.location.description.dropFirst(local.count + 1))
            let bytes = try await LocalStore().read(object.location, maxBytes: 1 << 20)
            _ = try await client.putObject(bucket: "fruits", key: "in/" + relative, bytes: bytes, contentType: "image/jpeg")
        }

        let stores = StoreResolver(s3Endpoint: endpoint, environment: environment)
        let engine = LocalEngine(stores: stores, progressOutput: { _ in })
        let output = StorageLocation.s3(bucket: "fruits", key: "out")
        var job = TestSupport.job(local, "unused", pca: 3, imagesPerPart: 5)
        job.input = .s3(bucket: "fruits", key: "in")
        job.output = output
        let summary = try await engine.run(job)
        #expect(summary.images == 12)
        #expect(summary.failures == 0)

        let names = try await stores.store(for: output).list(under: output).map(\.location.description)
        #expect(names.contains("s3://fruits/out/_SUCCESS"))
        #expect(names.contains("s3://fruits/out/_orchard/pca.orchpca"))
        #expect(names.filter { $0.hasSuffix(".parquet") && $0.contains("/out/part-") }.count == 3)
        #expect(!names.contains { $0.contains("_temporary") })

        // The rows are those of the same images featurized from the local folder.
        let rows = try await Self.rows(output, stores)
        let reference = try await { () async throws -> [FeatureRow] in
            let folder = try TestSupport.temporaryFolder("reference")
            _ = try await LocalEngine(stores: StoreResolver(), progressOutput: { _ in })
                .run(TestSupport.job(local, folder, pca: 3, imagesPerPart: 5))
            return try await TestSupport.rows(of: folder)
        }()
        #expect(rows.map(\.path) == reference.map { "s3://fruits/in/" + $0.path.dropFirst(local.count + 1) })
        #expect(rows.map(\.label) == reference.map(\.label))
        #expect(rows.map(\.features) == reference.map(\.features))

        // An interrupted run (a committed part and the marker missing) is finished by the same job again.
        let store = try stores.store(for: output)
        let lastPart = try #require(names.filter { $0.contains("/out/part-00002-") }.first)
        try await store.delete([try StorageLocation(parsing: lastPart), output.appending("_SUCCESS")], under: output)
        let resumed = try await engine.run(job)
        #expect(resumed.resumed == 10)
        #expect(try await Self.rows(output, stores) == rows)

        // A run on an OUT whose lease another live run holds fails naming it, and deletes nothing of it.
        let busy = StorageLocation.s3(bucket: "fruits", key: "busy")
        let live = try await store.acquireLease(busy.appending("_orchard/lock"), holder: "orchard, pid 4242 on farm-7", duration: .seconds(60))
        try await store.write(Array("half a part".utf8), to: busy.appending(".part-00000-0123456789abcdef.parquet.17.tmp"))
        var second = job
        second.output = busy
        do {
            _ = try await engine.run(second)
            Issue.record("a run on a busy OUT was not refused")
        } catch let error as PipelineError {
            #expect(error.description.contains("pid 4242 on farm-7"), "\(error)")
        }
        #expect(try await store.size(of: busy.appending(".part-00000-0123456789abcdef.parquet.17.tmp")) == 11)
        await live.release()
        try await stores.shutdown()
    }

    /// Ctrl-C gives the S3 lease back on the way out: the same command runs again at once (it was
    /// refused for two minutes, until the lease expired) and resumes to every row.
    @Test func anInterruptedRunGivesItsLeaseBackSoTheSameCommandRunsAgainAtOnce() async throws {
        let endpoint = try Self.startMoto()
        let client = try Self.motoClient(endpoint)
        let input = try TestSupport.sampleFolder(classes: ["Kiwi 1", "Mango 1"], perClass: 40)
        var arguments: [String] = []
        var bucket = ""
        // A run this test could not catch before its end (its polling starved by the suites around it while
        // the run went on) proves nothing either way: it is tried again on a fresh bucket, up to three times.
        for attempt in 0 ..< 3 {
            bucket = "interrupted-\(attempt)"
            try await client.createBucket(bucket)
            arguments = ["featurize", input, "--out", "s3://\(bucket)/out", "--model", TestSupport.model,
                         "--images-per-part", "1", "--threads", "1", "--s3-endpoint", endpoint]
            // At the lowest priority, so on cores other suites keep busy this test sees its first part and
            // interrupts it long before its 80th. `nice` execs: the PID is the run's.
            let run = try ChildProcess.Running(
                "/usr/bin/nice", ["-n", "19", TestSupport.orchardBinary] + arguments, environment: Self.motoEnvironment,
                streams: .discarded)
            let deadline = ContinuousClock.now + .seconds(600)
            while try await !client.listObjects(bucket: bucket, prefix: "out/part-").contains(where: { _ in true }),
                  ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            run.kill(SIGINT)
            let status = try run.wait(timeout: .seconds(60))
            if status == 0, try await client.headObject(bucket: bucket, key: "out/_SUCCESS") != nil, attempt < 2 { continue }
            #expect(status == 128 + SIGINT, "exit status \(status)")
            #expect(try await client.headObject(bucket: bucket, key: "out/_orchard/lock") == nil, "the lease was left behind")
            #expect(try await client.headObject(bucket: bucket, key: "out/_SUCCESS") == nil, "the run was not interrupted")
            break
        }

        _ = try TestSupport.run(TestSupport.orchardBinary, arguments, environment: Self.motoEnvironment)
        let stores = StoreResolver(s3Endpoint: endpoint, environment: Self.motoEnvironment)
        let rows = try await Self.rows(.s3(bucket: bucket, key: "out"), stores)
        #expect(rows.count == 80 && Set(rows.map(\.path)).count == 80)
        try await stores.shutdown()
        try await client.shutdown()
    }

    static func rows(_ root: StorageLocation, _ stores: StoreResolver) async throws -> [FeatureRow] {
        var rows: [FeatureRow] = []
        try await FeatureDataset(root: root, stores: stores).forEachPart { _, part in rows += part }
        return rows.sorted { $0.path < $1.path }
    }

    /// moto's credentials, passed to each client (not set in this process, whose other suites run meanwhile).
    static let motoEnvironment = ["AWS_ACCESS_KEY_ID": "orchard-test", "AWS_SECRET_ACCESS_KEY": "orchard-test-secret",
                                  "AWS_REGION": "us-east-1"]

    /// A client of the moto server at `endpoint`, with `motoEnvironment`'s credentials.
    static func motoClient(_ endpoint: String) throws -> S3Client {
        S3Client(
            configuration: try S3Configuration.fromEnvironment(motoEnvironment, endpointOverride: endpoint),
            credentials: DefaultCredentialChain(environment: motoEnvironment))
    }

    /// Starts moto on a free loopback port; its watchdog stops it when this test process exits.
    static func startMoto() throws -> String {
        let pidFile = NSTemporaryDirectory() + "pipeline-moto-\(getpid()).pid"
        let script = TestSupport.packageRoot + "/scripts/moto-server.sh"
        let output = try ChildProcess.run("/bin/bash", [script, "start", "0", pidFile, String(getpid())]).output
        guard let port = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestFailure("moto-server.sh could not start moto: \(output)")
        }
        return "http://127.0.0.1:\(port)"
    }
}
