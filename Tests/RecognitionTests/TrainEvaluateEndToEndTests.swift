import Foundation
import OrchardTestKit
import Testing

/// `orchard featurize`, `train` and `evaluate` through the binary on real photos, against scikit-learn
/// on the same features.
@Suite struct TrainEvaluateEndToEndTests {
    static let classes = ["Apple Golden 1", "Banana 1", "Kiwi 1"]

    /// A folder of the first `perClass` photos of each class of `split`.
    static func photos(_ split: String, perClass: Int) throws -> String {
        let folder = try RecognitionTestSupport.temporaryFolder(split)
        for name in classes {
            let source = "\(RecognitionTestSupport.samples)/\(split)/\(name)"
            try FileManager.default.createDirectory(atPath: "\(folder)/\(name)", withIntermediateDirectories: true)
            for file in try FileManager.default.contentsOfDirectory(atPath: source).sorted().prefix(perClass) {
                try FileManager.default.copyItem(atPath: "\(source)/\(file)", toPath: "\(folder)/\(name)/\(file)")
            }
        }
        return folder
    }

    /// scikit-learn's accuracy on the test dataset: StandardScaler and LogisticRegression fitted on the
    /// training dataset's rows without errors.
    static let sklearn = """
        import sys, warnings
        import numpy as np, pyarrow.dataset as ds
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler
        warnings.simplefilter("ignore")
        def load(path):
            t = ds.dataset(path).to_table().to_pylist()
            t = [r for r in t if r["error"] is None and r["features"] is not None]
            return np.array([r["features"] for r in t], dtype=np.float64), np.array([r["label"] for r in t])
        X, y = load(sys.argv[1]); Xt, yt = load(sys.argv[2])
        scaler = StandardScaler().fit(X)
        model = LogisticRegression(C=1.0, max_iter=1000).fit(scaler.transform(X), y)
        print(model.score(scaler.transform(Xt), yt))
        """

    @Test func trainedOnFifteenPhotosAClassItRecognisesTheTestPhotos() throws {
        let work = try RecognitionTestSupport.temporaryFolder("e2e")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let training = try Self.photos("Training", perClass: 15), test = try Self.photos("Test", perClass: 8)
        defer { for folder in [training, test] { try? FileManager.default.removeItem(atPath: folder) } }
        for (input, output) in [(training, work + "/train"), (test, work + "/test")] {
            try RecognitionTestSupport.orchard([
                "featurize", input, "--out", output, "--model", RecognitionTestSupport.model, "--threads", "1",
            ]).check()
        }

        let trained = try RecognitionTestSupport.orchard(["train", work + "/train", "--out", work + "/fruit.orchard"]).check()
        #expect(trained.output.contains("iteration    1  loss"), "\(trained.output)")
        #expect(trained.output.contains("training accuracy 100.00% (45 rows)"), "\(trained.output)")
        #expect(trained.output.contains("wrote \(work)/fruit.orchard"))

        let evaluated = try RecognitionTestSupport.orchard(["evaluate", work + "/fruit.orchard", work + "/test", "--json"]).check()
        let object = try #require(try JSONSerialization.jsonObject(with: evaluated.stdout) as? [String: Any])
        let accuracy = try #require(object["accuracy"] as? Double)
        let top5 = try #require(object["top5_accuracy"] as? Double)
        let perClass = try #require(object["per_class"] as? [String: [String: Any]])
        let confusion = try #require(object["confusion"] as? [String: Any])
        let labels = try #require(confusion["labels"] as? [String])
        let matrix = try #require(confusion["matrix"] as? [[Int]])
        let reference = try #require(Double(try ChildProcess.python(Self.sklearn, [work + "/train", work + "/test"])
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        print("3 classes, 45 training / 24 test photos: accuracy orchard \(accuracy), scikit-learn \(reference); top-5 \(top5)")

        #expect(accuracy >= 0.95)
        #expect(abs(accuracy - reference) <= 0.05)
        #expect(top5 == 1)  // three classes: every label is in the top five
        #expect(labels == Self.classes)
        #expect(Set(perClass.keys) == Set(Self.classes))
        #expect(perClass.values.allSatisfy { $0["precision"] is Double && $0["recall"] is Double && $0["f1"] is Double })
        #expect(perClass.values.compactMap { $0["support"] as? Int } == [8, 8, 8])
        #expect(matrix.count == 3 && matrix.allSatisfy { $0.count == 3 })
        #expect(matrix.joined().reduce(0, +) == 24)

        let text = try RecognitionTestSupport.orchard(["evaluate", work + "/fruit.orchard", work + "/test"]).check().output
        #expect(text.contains("top-5 accuracy") && text.contains("confusion matrix") && text.contains("Banana 1"))
    }

    @Test func aDatasetWithoutFeaturesIsRefusedClearly() throws {
        let folder = try RecognitionTestSupport.temporaryFolder("nofeatures")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try ChildProcess.python("""
            import sys, pyarrow as pa, pyarrow.parquet as pq
            pq.write_table(pa.table({"path": ["a.jpg", "b.jpg"], "label": ["A", "B"]}), sys.argv[1] + "/part-00000.parquet")
            open(sys.argv[1] + "/_SUCCESS", "w").close()
            """, [folder])
        let bundle = NSTemporaryDirectory() + "orchard-nofeatures-\(getpid()).orchard"
        let result = try RecognitionTestSupport.orchard(["train", folder, "--out", bundle])
        #expect(result.status != 0)
        #expect(result.errors.contains("needs `path` and `features` columns"), "\(result.errors)")
        #expect(!FileManager.default.fileExists(atPath: bundle))
    }

    @Test(arguments: ["train", "evaluate"])
    func helpShowsAnExample(command: String) throws {
        let help = try RecognitionTestSupport.orchard([command, "--help"]).check().output
        let example = command == "train" ? "Example: orchard train features/Training --out fruit.orchard"
            : "Example: orchard evaluate fruit.orchard features/Test --json"
        #expect(help.contains(example), "\(help)")
        if command == "train" { #expect(help.contains("rows × 1280 float64")) }
    }
}
