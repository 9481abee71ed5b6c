import Foundation
import Testing
@testable import Pipeline

/// The Spark engine against a real local Spark Connect server (pyspark's), started by this suite.
@Suite(.serialized) struct SparkEngineTests {
    static let port = 15_012

    /// Same rows as the local engine, a bad image as an error row, and an executor's worker process
    /// killed mid-task (SIGKILL) retried by Spark without losing or duplicating rows. A second job on
    /// the same server then finds its own shipped files, not the first session's.
    @Test func sparkEngineWritesTheSameRowsAsTheLocalEngine() async throws {
        let server = TestSupport.packageRoot + "/scripts/spark-connect-server.sh"
        // local[2,4]: two cores, and a failed task is retried as on a cluster.
        try TestSupport.runDaemonScript(["/usr/bin/env", "SPARK_CONNECT_MASTER=local[2,4]", "/bin/bash", server, "start", String(Self.port)])
        defer { try? TestSupport.runDaemonScript(["/bin/bash", server, "stop", String(Self.port)]) }

        let input = try TestSupport.sampleFolder(classes: ["Banana 1", "Lemon 1", "Tomato 1"], perClass: 10)
        try FileManager.default.createDirectory(atPath: input + "/Broken", withIntermediateDirectories: true)
        try Data("not a photo".utf8).write(to: URL(fileURLWithPath: input + "/Broken/bad.jpg"))
        let local = try TestSupport.temporaryFolder("local")
        let spark = try TestSupport.temporaryFolder("spark")
        _ = try await LocalEngine(stores: StoreResolver(), progressOutput: { _ in })
            .run(TestSupport.job(input, local, pca: 4))

        // The engine ships the running binary; in tests that is the test runner, so ship `orchard` instead.
        var engine = SparkEngine(
            master: "sc://127.0.0.1:\(Self.port)", stores: StoreResolver(), partitions: 3,
            binary: TestSupport.orchardBinary, progressOutput: { _ in })
        engine.sumsPerMerge = 2  // the 3 partitions' PCA sums are merged by executors first, as on a big cluster
        let killer = Task { WorkerKiller.killFirstWorker(within: 120) }
        let summary = try await engine.run(TestSupport.job(input, spark, pca: 4))
        #expect(await killer.value, "no orchard worker process was seen to kill")
        #expect(summary.images == 31)
        #expect(summary.failures == 1)
        #expect(summary.engine == "spark")
        #expect(FileManager.default.fileExists(atPath: spark + "/_SUCCESS"))
        #expect(FileManager.default.fileExists(atPath: spark + "/_orchard/pca.orchpca"))

        let expected = try await TestSupport.rows(of: local)
        let rows = try await TestSupport.rows(of: spark)
        #expect(rows.map(\.path) == expected.map(\.path))
        #expect(rows.map(\.label) == expected.map(\.label))
        #expect(rows.map { $0.error != nil } == expected.map { $0.error != nil })
        for (row, reference) in zip(rows, expected) {
            guard let features = row.features, let want = reference.features else { continue }
            let gap = zip(features, want).map { abs($0 - $1) }.max() ?? .infinity
            #expect(gap <= 1e-5, "features of \(row.path) differ by \(gap)")
            let pca = try #require(row.pca)
            let wantPCA = try #require(reference.pca)
            for (k, (a, b)) in zip(pca, wantPCA).enumerated() {
                #expect(abs(abs(a) - abs(b)) <= 1e-3 * max(1, abs(b)), "pca[\(k)] of \(row.path): \(a) vs \(b)")
            }
        }
        // Spark wrote the same schema: pyarrow sees the same columns and types in both datasets.
        let schemas = try TestSupport.python("""
            import sys, pyarrow.dataset as ds
            for d in sys.argv[1:]:
                print(ds.dataset(d, format="parquet").schema.remove_metadata().to_string(show_field_metadata=False))
            """, [local, spark])
        let parts = schemas.components(separatedBy: "path: ")
        #expect(parts.count == 3)
        #expect(parts[1] == parts[2], "schemas differ:\n\(schemas)")

        // A later job on the same long-lived server, with default partitions: the earlier session's
        // folder of shipped files is still on the executors, and must not be the one this job runs from.
        // It has Spark read the images and send their bytes, as for an hdfs:// input, under a byte limit.
        let again = try TestSupport.temporaryFolder("spark-again")
        var contentEngine = SparkEngine(
            master: "sc://127.0.0.1:\(Self.port)", stores: StoreResolver(), binary: TestSupport.orchardBinary,
            progressOutput: { _ in })
        contentEngine.sendsContent = true
        var limited = TestSupport.job(input, again, pca: 3)
        let sizes = try expected.map { try FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int ?? 0 }
        limited.maxImageBytes = sizes.sorted()[sizes.count / 2]
        let second = try await contentEngine.run(limited)
        #expect(second.images == 31)
        let secondRows = try await TestSupport.rows(of: again)
        #expect(secondRows.map(\.path) == expected.map(\.path))
        for ((row, reference), size) in zip(zip(secondRows, expected), sizes) {
            if size > limited.maxImageBytes {
                #expect(row.error?.contains("over the limit") == true, "\(row.path): \(row.error ?? "no error")")
            } else if let want = reference.features {
                let gap = zip(row.features ?? [], want).map { abs($0 - $1) }.max() ?? .infinity
                #expect(gap <= 1e-5, "\(row.path): features differ by \(gap) when Spark sends the bytes")
                #expect(row.pca?.count == 3)
            }
        }
    }
}

/// Finds an `orchard worker featurize` process and kills it with SIGKILL, like a crashed executor task.
enum WorkerKiller {
    static func killFirstWorker(within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            for pid in workerPIDs() where kill(pid, SIGKILL) == 0 { return true }
            usleep(20_000)
        }
        return false
    }

    private static func workerPIDs() -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry),
                  let cmdline = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let arguments = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard let index = arguments.firstIndex(of: "worker"), arguments.dropFirst(index + 1).first == "featurize" else {
                return nil
            }
            return pid
        }
    }
}
