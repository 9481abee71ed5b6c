import Foundation
import OrchardTestKit
import Testing
@testable import Pipeline

@Suite(.serialized) struct PCAAndResumeTests {
    let engine = LocalEngine(stores: StoreResolver(), progressOutput: { _ in })

    /// The run's PCA equals scikit-learn's PCA fitted on the same features.
    @Test func pcaEqualsScikitLearnOnTheSameFeatures() async throws {
        let input = try TestSupport.sampleFolder(classes: ["Apple 10", "Banana 1", "Mango 1", "Pineapple 1"], perClass: 15)
        let output = try TestSupport.temporaryFolder("out")
        let summary = try await engine.run(TestSupport.job(input, output, pca: 8, imagesPerPart: 25))
        #expect(summary.pcaComponents == 8)
        let rows = try await TestSupport.rows(of: output)
        #expect(rows.count == 60)
        #expect(rows.allSatisfy { $0.pca?.count == 8 })

        let report = try TestSupport.python("""
            import json, struct, sys
            import numpy as np, pyarrow.dataset as ds
            from sklearn.decomposition import PCA
            out = sys.argv[1]
            t = ds.dataset(out, format="parquet").to_table().to_pydict()
            order = np.argsort(t["path"])
            X = np.array([t["features"][i] for i in order], dtype=np.float64)
            P = np.array([t["pca"][i] for i in order], dtype=np.float64)
            ref = PCA(n_components=8, svd_solver="full").fit(X)
            raw = open(out + "/_orchard/pca.orchpca", "rb").read()
            d, k = struct.unpack_from("<II", raw, 8)
            off = 24 + 8 * (d + 2 * k)
            comps = np.frombuffer(raw, "<f8", k * d, off).reshape(k, d)
            ratio = np.array(json.load(open(out + "/_orchard/pca.json"))["explained_variance_ratio"])
            proj = ref.transform(X)
            print(json.dumps({
              "rows": len(order), "k": int(k),
              "ratio_rel": float(np.max(np.abs(ratio - ref.explained_variance_ratio_) / ref.explained_variance_ratio_)),
              "components": float(max(min(np.abs(comps[i] - ref.components_[i]).max(), np.abs(comps[i] + ref.components_[i]).max()) for i in range(k))),
              "projection": float(max(min(np.abs(P[:, i] - proj[:, i]).max(), np.abs(P[:, i] + proj[:, i]).max()) for i in range(k))),
              "scale": float(np.abs(proj).max())}))
            """, [output])
        let result = try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any] ?? [:]
        #expect(result["rows"] as? Int == 60)
        #expect(result["k"] as? Int == 8)
        let ratio = try #require(result["ratio_rel"] as? Double)
        let components = try #require(result["components"] as? Double)
        let projection = try #require(result["projection"] as? Double)
        let scale = try #require(result["scale"] as? Double)
        #expect(ratio <= 1e-6, "explained variance ratios differ by \(ratio) (relative)")
        #expect(components <= 1e-5, "components differ by \(components)")
        #expect(projection <= 1e-4 * scale, "projections differ by \(projection) at scale \(scale)")
    }

    /// Where a run is killed: while staging features (early, late) or while writing the final parts.
    enum KillPoint: String, CaseIterable, CustomStringConvertible, Sendable {
        case firstStagedPart, fifthStagedPart, firstFinalPart

        var description: String { rawValue }

        /// The folder whose entries tell the point was reached, and how many parts that takes.
        func watch(_ output: String) -> (folder: String, parts: Int) {
            switch self {
            case .firstStagedPart: (output + "/_temporary/features", 1)
            case .fifthStagedPart: (output + "/_temporary/features", 5)
            case .firstFinalPart: (output, 1)
            }
        }
    }

    /// A run killed with SIGKILL at several points and started again with the same command has exactly
    /// the rows of a clean run.
    @Test(arguments: KillPoint.allCases)
    func aKilledRunResumesToExactlyTheSameRows(killedAt point: KillPoint) async throws {
        let input = try TestSupport.sampleFolder(classes: ["Grape White 1", "Strawberry 1"], perClass: 20)
        let reference = try TestSupport.temporaryFolder("reference")
        // Parts of 1 image: 40 of them, so each point is reached well before the run ends (the final
        // parts take ~20 ms each in a debug build, so the last of 40 comes ~0.8 s after the first).
        _ = try await engine.run(TestSupport.job(input, reference, pca: 3, imagesPerPart: 1))
        let expected = try await TestSupport.rows(of: reference)

        let output = try TestSupport.temporaryFolder("killed")
        let arguments = ["featurize", input, "--out", output, "--model", TestSupport.model, "--pca", "3",
                         "--images-per-part", "1", "--threads", "1"]
        // At the lowest priority, so on cores other suites keep busy the watcher below is woken and
        // kills the run before it gets to write its remaining parts. `nice` execs: the PID is the run's.
        let victim = try ChildProcess.Running("/usr/bin/nice", ["-n", "19", TestSupport.orchardBinary] + arguments,
                                              streams: .discarded)
        // The folder is watched (inotify), not polled; the deadline only guards against a hang, so it is
        // generous enough for a machine whose cores other suites keep busy.
        let (folder, parts) = point.watch(output)
        let pid = victim.pid
        try await Waiting.untilFolderChanges(
            folder, satisfy: "\(parts) part(s)", timeout: .seconds(900), then: { _ = kill(pid, SIGKILL) }
        ) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            return names.filter { $0.hasPrefix("part-") }.count >= parts
        }
        #expect(try victim.wait() == 128 + SIGKILL)
        #expect(!FileManager.default.fileExists(atPath: output + "/_SUCCESS"))

        try TestSupport.run(TestSupport.orchardBinary, arguments)
        let rows = try await TestSupport.rows(of: output)
        #expect(rows.count == expected.count)
        #expect(rows.map(\.path) == expected.map(\.path))
        #expect(rows.map(\.features) == expected.map(\.features))
        #expect(rows.map(\.pca) == expected.map(\.pca))
        #expect(FileManager.default.fileExists(atPath: output + "/_SUCCESS"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasSuffix(".tmp") || $0 == "_temporary" }
        #expect(leftovers.isEmpty)
    }
}
