import Foundation
import OrchardTestKit
import Testing

/// `orchard pca fit` / `pca transform` on a featurized dataset, and `featurize --pca-variance`, checked
/// against scikit-learn on the same features.
@Suite struct EndToEndPCATests {
    struct TransformCheck: Decodable {
        let rows: Int
        let pcaLengths: [Int]
        let samePaths: Bool
        let sameLabelsAndFeatures: Bool
        /// Largest |orchard − sklearn| over all projections, and the largest |sklearn| for scale.
        let maxDifference: Double
        let maxValue: Double
    }

    @Test func fitThenTransformAddsAPCAColumnOfKValues() async throws {
        let dataset = try await SampleDataset.get()
        let folder = try EndToEnd.temporaryFolder("pca")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let model = folder + "/pca.orchpca", out = folder + "/features-pca"
        let k = 3

        let fit = try EndToEnd.orchard(["pca", "fit", dataset.output, "--components", String(k), "--out", model]).check()
        #expect(fit.output.contains("\(k) components of 1280 explain"), "\(fit.output)")
        #expect(fit.output.contains("(\(dataset.imageCount) rows)"), "\(fit.output)")
        #expect(FileManager.default.fileExists(atPath: model))
        let summary = try EndToEnd.jsonObject(model + ".json")
        #expect(summary["n_components"] as? Int == k && summary["n_features"] as? Int == 1280, "\(summary)")

        let transform = try EndToEnd.orchard(["pca", "transform", dataset.output, "--model", model, "--out", out]).check()
        #expect(transform.output.contains("wrote \(dataset.imageCount) rows with \(k) PCA components"), "\(transform.output)")

        // Read both datasets with pyarrow; project the features with scikit-learn fitted on the same rows.
        let check = try EndToEnd.pythonJSON(
            TransformCheck.self,
            """
            import json, sys
            import numpy as np, pyarrow.dataset as ds
            from sklearn.decomposition import PCA
            def rows(folder):
                t = ds.dataset(folder, format="parquet").to_table().to_pylist()
                return sorted(t, key=lambda r: r["path"])
            before, after = rows(sys.argv[1]), rows(sys.argv[2])
            X = np.array([r["features"] for r in before], dtype=np.float64)
            expected = PCA(n_components=int(sys.argv[3]), svd_solver="full").fit(X).transform(X)
            got = np.array([r["pca"] for r in after], dtype=np.float64)
            print(json.dumps({
                "rows": len(after),
                "pcaLengths": sorted({len(r["pca"]) for r in after}),
                "samePaths": [r["path"] for r in before] == [r["path"] for r in after],
                "sameLabelsAndFeatures": all(a["label"] == b["label"] and a["features"] == b["features"] for a, b in zip(before, after)),
                "maxDifference": float(np.abs(got - expected).max()),
                "maxValue": float(np.abs(expected).max()),
            }))
            """, [dataset.output, out, String(k)])
        #expect(check.rows == dataset.imageCount)
        #expect(check.pcaLengths == [k], "pca lengths \(check.pcaLengths)")
        #expect(check.samePaths && check.sameLabelsAndFeatures)
        // float32 output of a float64 projection: a relative 1e-4 of the largest value is generous.
        #expect(check.maxDifference <= 1e-4 * check.maxValue, "orchard vs sklearn: \(check.maxDifference) of \(check.maxValue)")
    }

    struct VarianceCheck: Decodable {
        let sklearnComponents: Int
        let cumulative: [Double]
        let ratios: [Double]
        let pcaLengths: [Int]
        let footerComponents: [String]
    }

    @Test func pcaVarianceKeepsTheFewestComponentsReachingTheShare() async throws {
        let dataset = try await SampleDataset.get()
        let pca = try EndToEnd.jsonObject(dataset.output + "/_orchard/pca.json")
        let k = try #require(pca["n_components"] as? Int)
        let orchardRatios = try #require(pca["explained_variance_ratio"] as? [Double])
        #expect(orchardRatios.count == k)
        #expect(dataset.stdout.contains("PCA components: \(k)"), "\(dataset.stdout)")

        let check = try EndToEnd.pythonJSON(
            VarianceCheck.self,
            """
            import glob, json, sys
            import numpy as np, pyarrow.dataset as ds, pyarrow.parquet as pq
            from sklearn.decomposition import PCA
            t = ds.dataset(sys.argv[1], format="parquet").to_table()
            X = np.array(t.column("features").to_pylist(), dtype=np.float64)
            full = PCA(svd_solver="full").fit(X)
            chosen = PCA(n_components=float(sys.argv[2]), svd_solver="full").fit(X)
            print(json.dumps({
                "sklearnComponents": int(chosen.n_components_),
                "cumulative": np.cumsum(full.explained_variance_ratio_).tolist(),
                "ratios": full.explained_variance_ratio_.tolist(),
                "pcaLengths": sorted({len(v) for v in t.column("pca").to_pylist()}),
                "footerComponents": sorted({pq.read_metadata(p).metadata.get(b"orchard.pca.components", b"").decode()
                                            for p in glob.glob(sys.argv[1] + "/part-*.parquet")}),
            }))
            """, [dataset.output, String(SampleDataset.varianceRatio)])

        let share = SampleDataset.varianceRatio
        #expect(k == check.sklearnComponents, "orchard kept \(k) components, scikit-learn \(check.sklearnComponents)")
        try #require(k >= 1 && k <= check.cumulative.count)
        #expect(check.cumulative[k - 1] >= share, "\(k) components explain only \(check.cumulative[k - 1])")
        if k > 1 { #expect(check.cumulative[k - 2] < share, "\(k - 1) components already explain \(check.cumulative[k - 2])") }
        for (ours, theirs) in zip(orchardRatios, check.ratios) {
            #expect(abs(ours - theirs) <= 1e-6, "explained variance ratio \(ours) vs scikit-learn \(theirs)")
        }
        #expect(check.pcaLengths == [k], "rows' pca lengths \(check.pcaLengths)")
        #expect(check.footerComponents == [String(k)], "orchard.pca.components footers \(check.footerComponents)")
    }
}
