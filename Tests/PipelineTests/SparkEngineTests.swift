import Foundation
import Testing
@testable import Pipeline

/// The Spark engine against a real local Spark Connect server (pyspark's), started by this suite.
@Suite(.serialized) struct SparkEngineTests {
    static let port = 15_012

    @Test func sparkEngineWritesTheSameRowsAsTheLocalEngine() async throws {
        let server = TestSupport.packageRoot + "/scripts/spark-connect-server.sh"
        try TestSupport.runDaemonScript(["/bin/bash", server, "start", String(Self.port)])
        defer { try? TestSupport.runDaemonScript(["/bin/bash", server, "stop", String(Self.port)]) }

        let input = try TestSupport.sampleFolder(classes: ["Banana 1", "Lemon 1", "Tomato 1"], perClass: 10)
        try FileManager.default.createDirectory(atPath: input + "/Broken", withIntermediateDirectories: true)
        try Data("not a photo".utf8).write(to: URL(fileURLWithPath: input + "/Broken/bad.jpg"))
        let local = try TestSupport.temporaryFolder("local")
        let spark = try TestSupport.temporaryFolder("spark")
        _ = try await LocalEngine(stores: StoreResolver(), progressOutput: { _ in })
            .run(TestSupport.job(input, local, pca: 4))

        // The engine ships the running binary; in tests that is the test runner, so ship `orchard` instead.
        let engine = SparkEngine(
            master: "sc://127.0.0.1:\(Self.port)", stores: StoreResolver(), partitions: 3,
            binary: TestSupport.orchardBinary, progressOutput: { _ in })
        let summary = try await engine.run(TestSupport.job(input, spark, pca: 4))
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
    }
}
