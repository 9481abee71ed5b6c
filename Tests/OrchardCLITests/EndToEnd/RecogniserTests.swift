import Foundation
import Imaging
import OrchardTestKit
import Testing

/// The fruit recogniser on the shared sample, as the README tells a user to build it: train on Training's
/// features, then evaluate and classify on the Test split — checked against scikit-learn and against itself.
@Suite struct RecogniserTests {
    struct Scores: Decodable {
        let accuracy: Double
        let top5_accuracy: Double
    }

    @Test func heldOutAccuracyMatchesScikitLearnAndIsAtLeast99Percent() async throws {
        let fixture = try await RecogniserFixture.get()
        let orchard = try JSONDecoder().decode(
            Scores.self, from: EndToEnd.orchard(["evaluate", fixture.bundle, fixture.testFeatures, "--json"]).check().stdout)
        let sklearn = try EndToEnd.pythonJSON(
            Double.self,
            """
            import json, sys
            import numpy as np, pyarrow.dataset as ds
            from sklearn.linear_model import LogisticRegression
            from sklearn.preprocessing import StandardScaler
            def rows(folder):
                t = ds.dataset(folder, format="parquet").to_table(columns=["label", "features", "error"]).to_pylist()
                t = [r for r in t if r["error"] is None]
                return np.array([r["features"] for r in t], dtype=np.float64), [r["label"] for r in t]
            X, y = rows(sys.argv[1])
            Xt, yt = rows(sys.argv[2])
            scaler = StandardScaler().fit(X)
            model = LogisticRegression(C=1.0, max_iter=200).fit(scaler.transform(X), y)
            print(json.dumps(float(model.score(scaler.transform(Xt), yt))))
            """, [fixture.trainingFeatures, fixture.testFeatures])
        #expect(orchard.accuracy >= 0.99, "held-out accuracy \(orchard.accuracy)")
        #expect(abs(orchard.accuracy - sklearn) <= 0.005, "orchard \(orchard.accuracy), scikit-learn \(sklearn)")
    }

    /// `classify` runs the whole chain from the photo; its label must be the one the bundle gives the
    /// photo's featurized row — computed here by an independent reading of the bundle's JSON in numpy.
    @Test func classifyGivesEachPhotoTheLabelItsFeaturizedRowGets() async throws {
        let fixture = try await RecogniserFixture.get()
        struct Check: Decodable {
            let photos: Int
            let rows: Int
            let labelMismatches: [String]
            let maxProbabilityDifference: Double
            let topLengths: [Int]
        }
        let check = try EndToEnd.pythonJSON(
            Check.self,
            """
            import json, struct, sys
            import numpy as np, pyarrow.dataset as ds
            raw = open(sys.argv[1], "rb").read()
            assert raw[:8] == b"ORCHCLSF"
            (length,) = struct.unpack_from("<Q", raw, 12)
            bundle = json.loads(raw[20:20 + length])
            c = bundle["classifier"]
            labels, k = c["labels"], len(c["labels"])
            W = np.array(c["weights"]).reshape(-1, k)
            mean, scale = np.array(c["standardization"]["mean"]), np.array(c["standardization"]["scale"])
            rows = ds.dataset(sys.argv[2], format="parquet").to_table(columns=["path", "features", "error"]).to_pylist()
            expected = {}
            for r in rows:
                x = (np.array(r["features"], dtype=np.float64) - mean) / scale
                z = x @ W + np.array(c["intercepts"])
                p = np.exp(z - z.max()); p /= p.sum()
                expected[r["path"]] = (labels[int(p.argmax())], float(p.max()))
            lines = [json.loads(l) for l in open(sys.argv[3]) if l.strip()]
            mismatches, worst = [], 0.0
            for l in lines:
                label, probability = expected[l["path"]]
                if l["label"] != label: mismatches.append(l["path"])
                worst = max(worst, abs(l["probability"] - probability))
            print(json.dumps({"photos": len(lines), "rows": len(rows), "labelMismatches": mismatches[:5],
                              "maxProbabilityDifference": worst, "topLengths": sorted({len(l["top"]) for l in lines})}))
            """, [fixture.bundle, fixture.testFeatures, fixture.predictions])
        #expect(check.photos == check.rows && check.photos > 2000, "\(check.photos) photos classified, \(check.rows) rows")
        #expect(check.labelMismatches.isEmpty, "\(check.labelMismatches)")
        #expect(check.maxProbabilityDifference <= 1e-9, "\(check.maxProbabilityDifference)")
        #expect(check.topLengths == [13], "--top 1000 gives every one of the 13 labels")
    }

    /// A bundle trained without `--embed-backbone` finds the network featurize used through $ORCHARD_MODEL,
    /// as a user who set it for featurize expects; it is checked by SHA-256, and another network is refused
    /// by name.
    @Test func classifyFindsItsBackboneThroughOrchardModel() async throws {
        let fixture = try await RecogniserFixture.get()
        let cache = try EndToEnd.temporaryFolder("empty-model-cache")
        let label = try FileManager.default.contentsOfDirectory(atPath: fixture.testPhotos).sorted()[0]
        let name = try FileManager.default.contentsOfDirectory(atPath: "\(fixture.testPhotos)/\(label)").sorted()[0]
        let photo = "\(fixture.testPhotos)/\(label)/\(name)"
        let arguments = ["classify", "--model", fixture.bundle, photo, "--json", "--top", "1"]

        let found = try EndToEnd.orchard(arguments, environment: ["ORCHARD_MODEL": EndToEnd.realModel, "ORCHARD_CACHE": cache]).check()
        struct Answer: Decodable { let label: String }
        let answer = try JSONDecoder().decode(Answer.self, from: found.stdout)
        #expect(answer.label == label, "\(found.output)")

        let other = EndToEnd.kerasFixtures + "/mobilenet_v2_0.35_224.h5"
        let refused = try EndToEnd.orchard(arguments, environment: ["ORCHARD_MODEL": other, "ORCHARD_CACHE": cache])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("no embedded backbone") && refused.errors.contains(other), "\(refused.errors)")
    }
}

/// The phone's model: `orchard export` → one TFLite file that LiteRT runs to the same answers as `classify`.
@Suite struct ExportedModelTests {
    struct Classified: Decodable {
        struct Candidate: Decodable {
            let label: String
            let probability: Double
        }
        let path: String
        let label: String
        let top: [Candidate]
    }

    @Test func liteRTRunningTheExportAgreesWithClassifyOnEveryTestPhoto() async throws {
        let fixture = try await RecogniserFixture.get()
        let folder = try EndToEnd.temporaryFolder("export")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let model = folder + "/fruit.tflite"
        try EndToEnd.orchard(["export", fixture.bundle, "--format", "tflite", "--out", model, "--backbone", EndToEnd.realModel]).check()
        let labels = try String(contentsOfFile: folder + "/labels.txt", encoding: .utf8).split(separator: "\n").map(String.init)
        let photos = try String(contentsOfFile: fixture.predictions, encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(Classified.self, from: Data($0.utf8)) }
        #expect(photos.count > 2000)

        // LiteRT gets exactly the tensors Orchard's network gets (decode, bicubic 224×224, [-1, 1]), in batches.
        var preparer = ModelInputPreparer(side: 224)
        var input = [Float](repeating: 0, count: 224 * 224 * 3)
        var mismatches: [String] = []
        var worst = 0.0
        for start in stride(from: 0, to: photos.count, by: 250) {
            let batch = photos[start..<min(start + 250, photos.count)]
            var tensors = Data()
            for photo in batch {
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: photo.path)))
                try input.withUnsafeMutableBufferPointer { try preparer.prepare(bytes, name: photo.path, into: $0) }
                input.withUnsafeBytes { tensors.append(contentsOf: $0) }
            }
            let file = folder + "/inputs.f32"
            try tensors.write(to: URL(fileURLWithPath: file))
            let probabilities = try EndToEnd.pythonJSON(
                [[Double]].self,
                """
                import json, sys
                import numpy as np
                from ai_edge_litert.interpreter import Interpreter
                x = np.fromfile(sys.argv[2], dtype=np.float32).reshape(-1, 1, 224, 224, 3)
                interpreter = Interpreter(model_path=sys.argv[1])
                interpreter.allocate_tensors()
                i, o = interpreter.get_input_details()[0]["index"], interpreter.get_output_details()[0]["index"]
                out = []
                for image in x:
                    interpreter.set_tensor(i, image)
                    interpreter.invoke()
                    out.append([float(p) for p in interpreter.get_tensor(o)[0]])
                print(json.dumps(out))
                """, [model, file])
            for (photo, litert) in zip(batch, probabilities) {
                let best = litert.indices.max { litert[$0] < litert[$1] }!
                if labels[best] != photo.label { mismatches.append(photo.path) }
                for candidate in photo.top {
                    guard let index = labels.firstIndex(of: candidate.label) else { throw ChildProcess.Failure("no label \(candidate.label)") }
                    worst = max(worst, abs(litert[index] - candidate.probability))
                }
            }
        }
        #expect(mismatches.isEmpty, "top-1 differs on \(mismatches.count) photos, e.g. \(mismatches.prefix(3))")
        #expect(worst <= 1e-3, "largest probability difference \(worst)")
    }
}
