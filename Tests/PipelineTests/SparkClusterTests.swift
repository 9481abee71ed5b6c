import Foundation
import Synchronization
import OrchardTestKit
import S3
import Storage
import Testing
@testable import Pipeline

/// The Spark engine on a cluster shaped like EMR's (scripts/spark-cluster.sh): a standalone master, two
/// worker JVMs with one core each, executors in their own processes, and the Hive catalog, under which
/// script transformations without a ROW FORMAT would use Hive's serde.
@Suite(.serialized) struct SparkClusterTests {
    static let port = (try? FreePort.pick()) ?? 15_022
    /// moto's credentials: the executors get them from the cluster's environment, as EMR's get an instance role.
    static let credentials = S3PipelineTests.motoEnvironment

    @Test func aClusterWithTheHiveCatalogWritesTheLocalEnginesRows() async throws {
        let script = TestSupport.packageRoot + "/scripts/spark-cluster.sh"
        try TestSupport.runDaemonScript(
            ["/usr/bin/env"] + Self.credentials.map { "\($0)=\($1)" } + ["/bin/bash", script, "start", String(Self.port)])
        defer { try? TestSupport.runDaemonScript(["/bin/bash", script, "stop", String(Self.port)]) }
        let input = try Self.oddlyNamedImages()

        // Without PCA: Spark's writer writes the workers' rows straight into OUT.
        let local = try TestSupport.temporaryFolder("cluster-local")
        _ = try await LocalEngine(stores: StoreResolver(), progressOutput: { _ in }).run(TestSupport.job(input, local))
        let expected = try await TestSupport.rows(of: local)
        let plain = try TestSupport.temporaryFolder("cluster-plain")
        let first = try await engine().run(TestSupport.job(input, plain))
        #expect(first.images == expected.count && first.failures == 1)
        let plainRows = try await TestSupport.rows(of: plain)
        Self.expectSameRows(plainRows, expected)
        #expect(plainRows.allSatisfy { $0.pca == nil })

        // With PCA, Spark reading the images and sending their bytes (as for hdfs://), under a byte limit
        // binaryFile must never reach, and an executor JVM killed while its worker runs: Spark starts
        // another executor, reruns the task, and the rows are still exact.
        var job = TestSupport.job(input, try TestSupport.temporaryFolder("cluster-local-pca"), pca: 3)
        let sizes = try expected.map { try FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int ?? 0 }
        job.maxImageBytes = sizes.sorted().last { $0 < sizes.max()! } ?? 0  // the largest image is over the limit
        _ = try await LocalEngine(stores: StoreResolver(), progressOutput: { _ in }).run(job)
        let limited = try await TestSupport.rows(of: job.output.description)
        #expect(limited.contains { $0.error?.contains("over the limit") == true })

        job.output = .local(path: try TestSupport.temporaryFolder("cluster-killed"))
        var contentEngine = engine()
        contentEngine.sendsContent = true
        let killer = WorkerKiller()
        let second = try await contentEngine.run(job)
        #expect(killer.stop(), "no executor ran a worker while the job ran, so none was killed")
        #expect(second.images == expected.count)
        let killedRows = try await TestSupport.rows(of: job.output.description)
        Self.expectSameRows(killedRows, limited)
        #expect(killedRows.map { $0.error?.contains("over the limit") == true } == limited.map { $0.error?.contains("over the limit") == true })
        try SparkEngineTests.expectEqualProjections(
            killedRows.filter { $0.error == nil }, limited.filter { $0.error == nil }, featureGap: 1e-5)

        // An S3 input at a custom endpoint (moto): the CLI lists it, the executors read it there.
        try await expectS3InputAtACustomEndpointWorks(from: input)
    }

    /// Same paths and labels byte for byte, the same failures, and features within 1e-5.
    static func expectSameRows(_ rows: [FeatureRow], _ expected: [FeatureRow]) {
        #expect(rows.map { Array($0.path.utf8) } == expected.map { Array($0.path.utf8) })
        #expect(rows.map { Array($0.label.utf8) } == expected.map { Array($0.label.utf8) })
        #expect(rows.map { $0.error != nil } == expected.map { $0.error != nil })
        for (row, reference) in zip(rows, expected) {
            guard let features = row.features, let want = reference.features else { continue }
            let gap = zip(features, want).map { abs($0 - $1) }.max() ?? .infinity
            #expect(gap <= 1e-5, "features of \(row.path.debugDescription) differ by \(gap)")
        }
    }

    func engine(stores: StoreResolver = StoreResolver()) -> SparkEngine {
        // The engine ships the running binary; in tests that is the test runner, so ship `orchard` instead.
        SparkEngine(master: "sc://127.0.0.1:\(Self.port)", stores: stores, binary: TestSupport.orchardBinary, progressOutput: { _ in })
    }

    /// Folders and files whose names hold what breaks naive framing or decoding: spaces, `%`, a tab,
    /// `\u{1}`, non-ASCII, `\N` — one file that is not an image, images under hidden names, and a linked folder.
    static func oddlyNamedImages() throws -> String {
        let source = try TestSupport.sampleFolder(classes: ["Banana 1", "Lemon 1"], perClass: 6)
        let images = try FileManager.default.subpathsOfDirectory(atPath: source).filter { $0.hasSuffix(".jpg") }.sorted()
        let folder = try TestSupport.temporaryFolder("odd-names")
        let names = ["Apple Braeburn", "Grape\tWhite", "Kiwi\u{1}X", "\\N", "Pêche 日本 100%", "Apple%20Braeburn"]
        for (index, image) in images.enumerated() {
            let label = names[index % names.count]
            try FileManager.default.createDirectory(atPath: folder + "/" + label, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: source + "/" + image, toPath: folder + "/\(label)/a b%41\\N é\(index).jpg")
        }
        // Hidden the way Hadoop's listing hides them (binaryFile skips these): both engines must skip them.
        for hidden in [".thumbnails/a.jpg", "_staging/b.jpg", "Apple Braeburn/_c.jpg"] {
            try FileManager.default.createDirectory(
                atPath: folder + "/" + hidden.split(separator: "/")[0], withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: source + "/" + images[0], toPath: folder + "/" + hidden)
        }
        // A linked folder: Hadoop's listing walks it, and so must the local engine's.
        let elsewhere = try TestSupport.temporaryFolder("odd-names-linked")
        try FileManager.default.copyItem(atPath: source + "/" + images[1], toPath: elsewhere + "/d.jpg")
        try FileManager.default.createSymbolicLink(atPath: folder + "/Linked", withDestinationPath: elsewhere)
        try FileManager.default.createDirectory(atPath: folder + "/Broken", withIntermediateDirectories: true)
        try Data("not a photo".utf8).write(to: URL(fileURLWithPath: folder + "/Broken/bad.jpg"))
        return folder
    }
}

extension SparkClusterTests {
    /// The images of `folder` put in a moto bucket, featurized from there by both engines with the same
    /// `--s3-endpoint`: the same rows.
    func expectS3InputAtACustomEndpointWorks(from folder: String) async throws {
        let endpoint = try S3PipelineTests.startMoto()
        let stores = StoreResolver(s3Endpoint: endpoint, s3Addressing: .path, environment: Self.credentials)
        let store = try stores.store(for: .s3(bucket: "fruits", key: ""))
        let client = try S3PipelineTests.motoClient(endpoint)
        try await client.createBucket("fruits")
        try await client.shutdown()
        for object in try await LocalStore().list(under: .local(path: folder)) {
            let key = "in/" + object.location.description.dropFirst(folder.count + 1)
            try await store.write(try await LocalStore().read(object.location, maxBytes: 1 << 20), to: .s3(bucket: "fruits", key: key))
        }
        let images = try await ImageListing(store: LocalStore()).images(under: .local(path: folder)).count
        var job = TestSupport.job(folder, try TestSupport.temporaryFolder("s3-local"))
        job.input = .s3(bucket: "fruits", key: "in")
        _ = try await LocalEngine(stores: stores, progressOutput: { _ in }).run(job)
        let expected = try await TestSupport.rows(of: job.output.description)
        #expect(expected.count == images && expected.first?.path.hasPrefix("s3://fruits/in/") == true)

        job.output = .local(path: try TestSupport.temporaryFolder("s3-spark"))
        let summary = try await engine(stores: stores).run(job)
        #expect(summary.images == images && summary.failures == 1)
        Self.expectSameRows(try await TestSupport.rows(of: job.output.description), expected)
        try await stores.shutdown()
    }
}

/// Kills a running `orchard worker featurize` process (like a crashed task) or the executor JVM whose
/// worker it is (like a lost machine), once.
///
/// It watches from a thread of its own, not a task: the cooperative pool of a 2-core test process is
/// shared with every other suite and may not run a polling task for minutes.
final class WorkerKiller: @unchecked Sendable {
    private let state = Mutex<(stopped: Bool, killed: Bool)>((false, false))

    /// Starts watching for a worker and kills it, or with `executor` the executor JVM that is its
    /// parent, with SIGKILL.
    init(executor: Bool = true) {
        Thread.detachNewThread { [self] in
            while !state.withLock({ $0.stopped || $0.killed }) {
                if executor ? Self.killOneExecutor() : Self.killOneWorker() { state.withLock { $0.killed = true } }
                usleep(20_000)
            }
        }
    }

    /// Stops watching: whether an executor was killed.
    func stop() -> Bool {
        state.withLock { $0.stopped = true; return $0.killed }
    }

    private static func killOneWorker() -> Bool {
        workers().contains { kill($0, SIGKILL) == 0 }
    }

    private static func killOneExecutor() -> Bool {
        for worker in workers() {
            guard let parent = parentPID(of: worker),
                  commandLine(of: parent).contains(where: { $0.contains("CoarseGrainedExecutorBackend") }) else { continue }
            if kill(parent, SIGKILL) == 0 { return true }
        }
        return false
    }

    /// `orchard worker featurize` processes.
    private static func workers() -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let pid = pid_t(entry) else { return nil }
            let arguments = commandLine(of: pid)
            guard let index = arguments.firstIndex(of: "worker"), arguments.dropFirst(index + 1).first == "featurize" else { return nil }
            return pid
        }
    }

    private static func commandLine(of pid: pid_t) -> [String] {
        guard let bytes = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
        return bytes.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The parent's PID, from /proc/PID/stat (after the command name's closing parenthesis: state, ppid).
    private static func parentPID(of pid: pid_t) -> pid_t? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) : nil
    }
}
