import Foundation
import LinearAlgebra
import OrchardTestKit
import Recognition
import Testing
@testable import Pipeline

/// The Spark engine against a real local Spark Connect server (pyspark's), started by this suite.
@Suite(.serialized) struct SparkEngineTests {
    /// A port nothing else listens on: a server already answering elsewhere must not be the one tested.
    static let port = (try? FreePort.pick()) ?? 15_012

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
        // The killer watches for as long as the job runs (however slow a shared machine makes it), not a set time.
        let killer = WorkerKiller(executor: false)
        let summary = try await engine.run(TestSupport.job(input, spark, pca: 4))
        #expect(killer.stop(), "no orchard worker process appeared while the job ran, so none was killed")
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
        var featureGap: Float = 0
        for (row, reference) in zip(rows, expected) {
            guard let features = row.features, let want = reference.features else { continue }
            let gap = zip(features, want).map { abs($0 - $1) }.max() ?? .infinity
            featureGap = max(featureGap, gap)
            #expect(gap <= 1e-5, "features of \(row.path) differ by \(gap)")
        }
        try Self.expectEqualProjections(rows, expected, featureGap: Double(featureGap))
        // Spark wrote the same schema: pyarrow sees the same columns and types in both datasets.
        let schemas = try TestSupport.python("""
            import sys, pyarrow.dataset as ds
            for d in sys.argv[1:]:
                print(ds.dataset(d, format="parquet").schema.remove_metadata().to_string(show_field_metadata=False))
            """, [local, spark])
        let parts = schemas.components(separatedBy: "path: ")
        #expect(parts.count == 3)
        #expect(parts[1] == parts[2], "schemas differ:\n\(schemas)")
        // The run recorded the parts Spark named, so they are Orchard's to replace on --overwrite, and only they.
        let record = try SparkPartsRecord.decode(Array(try Data(contentsOf: URL(fileURLWithPath: spark + "/_orchard/spark-parts.json"))))
        let written = try FileManager.default.contentsOfDirectory(atPath: spark).filter { $0.hasPrefix("part-") }.sorted()
        #expect(!written.isEmpty && record.parts == written)
        #expect(written.allSatisfy(PartOwnership.isSparkPartName), "\(written)")

        // A later job on the same long-lived server, with default partitions: the earlier session's
        // folder of shipped files is still on the executors, and must not be the one this job runs from.
        // It has Spark read the images and send their bytes, as for an hdfs:// input, under a byte limit.
        var replacement = TestSupport.job(input, spark, pca: 4, imagesPerPart: 16)
        replacement.overwrite = true
        _ = try await LocalEngine(stores: StoreResolver(), progressOutput: { _ in }).run(replacement)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spark).filter { $0.hasPrefix("part-") }.count == 2)
        #expect(try await TestSupport.rows(of: spark).map(\.path) == expected.map(\.path))

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

        // A third job, without PCA (Spark's writer writes the worker's rows straight into OUT) and with a
        // classifier: the same predictions as the local engine gives.
        let bundle = try Self.classifier(trainedOn: expected, in: again)
        var localJob = TestSupport.job(input, try TestSupport.temporaryFolder("local-classified"))
        localJob.classifierPath = bundle
        var sparkJob = TestSupport.job(input, try TestSupport.temporaryFolder("spark-classified"))
        sparkJob.classifierPath = bundle
        _ = try await LocalEngine(stores: StoreResolver(), progressOutput: { _ in }).run(localJob)
        let third = try await contentEngine.run(sparkJob)
        #expect(third.images == 31 && third.failures == 1)
        let localPredicted = try await TestSupport.rows(of: localJob.output.description)
        let sparkPredicted = try await TestSupport.rows(of: sparkJob.output.description)
        #expect(sparkPredicted.map(\.path) == localPredicted.map(\.path))
        #expect(sparkPredicted.map(\.prediction) == localPredicted.map(\.prediction))
        #expect(localPredicted.filter { $0.error == nil }.allSatisfy { $0.prediction == $0.label }, "the classifier knows its training photos")
        for (row, reference) in zip(sparkPredicted, localPredicted) {
            #expect(row.pca == nil)
            #expect(abs((row.probability ?? -1) - (reference.probability ?? -1)) <= 1e-6, "\(row.path)")
        }
    }

    /// A classifier bundle trained on `rows`' features (the real model's), written into `folder`.
    static func classifier(trainedOn rows: [FeatureRow], in folder: String) throws -> String {
        var data = LabeledFeatures()
        for row in rows { try data.add(label: row.label, features: row.features, error: row.error, source: row.path) }
        let (classifier, metrics) = try SoftmaxClassifier.train(data, options: TrainingOptions(maxIterations: 50))
        let path = folder + "-fruit.orchard"
        try ClassifierBundle(
            classifier: classifier,
            backbone: BackboneIdentity(name: "model", sha256: try ModelDigest.sha256(ofFile: TestSupport.model), featureCount: 1280),
            metrics: metrics, sources: ["test"]
        ).write(to: path)
        return path
    }
}

extension SparkEngineTests {
    /// The Spark engine fits its PCA from merged partition sums, the local engine from one pass: the same
    /// model up to rounding, so the same projections up to one sign per component and a tolerance that
    /// follows from the fit (RoundingBound): for a row x, |Δp_k| ≤ ‖x − μ‖·‖Δv_k‖ + ‖Δx‖ + ‖Δμ‖ plus the
    /// float32 rounding of both stored values, with ‖Δv_k‖ from Davis–Kahan on the covariance's spectrum.
    static func expectEqualProjections(_ rows: [FeatureRow], _ expected: [FeatureRow], featureGap: Double) throws {
        let reference = expected.compactMap(\.features)
        let d = try #require(reference.first?.count)
        let data = RoundingBound.Data(Array(reference.joined()), dimension: d)
        var sums = try CovarianceAccumulator(dimension: d)
        for features in reference { try sums.add(features) }
        let spectrum = try PCAModel.fit(sums, components: .count(min(data.rows, d)))
        // Different features add their own perturbation of each covariance entry: ≤ 2·(spread + e)·e·n/(n−1).
        let n = Double(data.rows)
        let perturbation = RoundingBound.covarianceNorm(data)
            + Double(d) * 2 * (data.spread + featureGap) * featureGap * n / (n - 1)
        let meanGap = (Double(d).squareRoot()) * (RoundingBound.mean(data) + featureGap)
        let components = try #require(rows.first { $0.pca != nil }?.pca?.count)
        for k in 0 ..< components {
            let pairs = zip(rows, expected).compactMap { row, want in
                row.pca.flatMap { a in want.pca.map { b in (Double(a[k]), Double(b[k]), want.features!) } }
            }
            // One sign per component, from all rows together.
            let sign: Double = pairs.reduce(0) { $0 + $1.0 * $1.1 } < 0 ? -1 : 1
            let axisGap = RoundingBound.eigenvector(
                perturbation: perturbation, gap: RoundingBound.gap(spectrum.explainedVariance, at: k))
            for (a, b, x) in pairs {
                let centred = zip(x, spectrum.mean).reduce(0.0) { $0 + (Double($1.0) - $1.1) * (Double($1.0) - $1.1) }
                let float32 = Double(Float.ulpOfOne) * (abs(a) + abs(b))
                let bound = centred.squareRoot() * axisGap + Double(d).squareRoot() * featureGap + meanGap + float32
                #expect(abs(a - sign * b) <= bound, "pca[\(k)]: \(a) vs \(sign * b), bound \(bound)")
            }
        }
    }
}
