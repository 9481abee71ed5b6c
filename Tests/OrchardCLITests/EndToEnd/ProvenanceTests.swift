import Foundation
import OrchardTestKit
import Testing

/// What a `featurize` run leaves in its dataset folder: the layout, `_orchard/job.json`, `run.json`, and
/// the provenance each part's footer carries (read with pyarrow).
@Suite struct EndToEndProvenanceTests {
    struct Part: Decodable {
        let name: String
        let metadata: [String: String]
        let rows: Int
        let labelsMatchFolders: Bool
        let pathsUnderInput: Bool
        let featureLengths: [Int]
        let errors: [String?]
    }

    @Test func jobRecordRunSummaryAndFooterMetadata() async throws {
        let dataset = try await SampleDataset.get()
        let version = try EndToEnd.orchard(["--version"]).check().output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!version.isEmpty)
        let input = (dataset.input as NSString).standardizingPath
        let modelBytes = try #require((try FileManager.default.attributesOfItem(atPath: EndToEnd.realModel)[.size] as? NSNumber)?.intValue)

        // _orchard/job.json: input, model and the options that decide the rows.
        let job = try EndToEnd.jsonObject(dataset.output + "/_orchard/job.json")
        let jobID = try #require(job["jobID"] as? String)
        #expect(jobID.count == 16 && jobID.allSatisfy(\.isHexDigit), "job id \(jobID)")
        #expect(job["input"] as? String == input)
        #expect(job["model"] as? String == EndToEnd.realModel)
        #expect(job["modelBytes"] as? Int == modelBytes)
        #expect(job["orchardVersion"] as? String == version)
        #expect(job["imagesPerPart"] as? Int == SampleDataset.imagesPerPart)
        #expect(job["imageCount"] as? Int == dataset.imageCount)
        let pca = String(decoding: try JSONSerialization.data(withJSONObject: try #require(job["pca"])), as: UTF8.self)
        #expect(pca.contains("\(SampleDataset.varianceRatio)") && pca.lowercased().contains("variance"), "job.json pca: \(pca)")

        // run.json: what the run did.
        let summary = try EndToEnd.jsonObject(dataset.output + "/_orchard/run.json")
        #expect(summary["images"] as? Int == dataset.imageCount)
        #expect(summary["failures"] as? Int == 0)
        #expect(summary["featureCount"] as? Int == 1280)
        #expect(summary["threads"] as? Int == 1)
        #expect(summary["engine"] as? String == "local")
        let k = try EndToEnd.jsonObject(dataset.output + "/_orchard/pca.json")["n_components"] as? Int
        #expect(summary["pcaComponents"] as? Int == k)

        // The layout: ceil(12 / 5) parts named after the job, _SUCCESS, the PCA model.
        for file in ["_SUCCESS", "_orchard/pca.orchpca", "_orchard/pca.json"] {
            #expect(FileManager.default.fileExists(atPath: dataset.output + "/" + file), "\(file) missing")
        }
        let expectedParts = (dataset.imageCount + SampleDataset.imagesPerPart - 1) / SampleDataset.imagesPerPart
        let names = try EndToEnd.parts(of: dataset.output).map { ($0 as NSString).lastPathComponent }
        #expect(names == (0..<expectedParts).map { "part-" + String(format: "%05d", $0) + "-\(jobID).parquet" }, "\(names)")

        // Every part's footer and rows, through pyarrow.
        let parts = try EndToEnd.pythonJSON(
            [Part].self,
            """
            import glob, json, os, sys, pyarrow.parquet as pq
            out = []
            for p in sorted(glob.glob(sys.argv[1] + "/part-*.parquet")):
                meta = {k.decode(): v.decode() for k, v in pq.read_metadata(p).metadata.items() if k.startswith(b"orchard.")}
                rows = pq.read_table(p).to_pylist()
                out.append({
                    "name": os.path.basename(p), "metadata": meta, "rows": len(rows),
                    "labelsMatchFolders": all(r["label"] == os.path.basename(os.path.dirname(r["path"])) for r in rows),
                    "pathsUnderInput": all(r["path"].startswith(sys.argv[2] + "/") and os.path.exists(r["path"]) for r in rows),
                    "featureLengths": sorted({len(r["features"]) for r in rows}),
                    "errors": [r["error"] for r in rows],
                })
            print(json.dumps(out))
            """, [dataset.output, input])
        #expect(parts.map(\.rows) == [5, 5, 2])
        for part in parts {
            #expect(part.metadata["orchard.version"] == version, "\(part.name): \(part.metadata)")
            #expect(part.metadata["orchard.model"] == EndToEnd.realModel, "\(part.name): \(part.metadata)")
            #expect(part.metadata["orchard.input"] == input, "\(part.name): \(part.metadata)")
            #expect(part.metadata["orchard.job"] == jobID, "\(part.name): \(part.metadata)")
            #expect(part.labelsMatchFolders && part.pathsUnderInput, "\(part.name)")
            #expect(part.featureLengths == [1280], "\(part.name): \(part.featureLengths)")
            #expect(part.errors.allSatisfy { $0 == nil }, "\(part.name): \(part.errors)")
        }
    }

    @Test func aSecondRunOfTheSameCommandResumesAndADifferentJobIsRefused() async throws {
        let dataset = try await SampleDataset.get()
        let folder = try EndToEnd.temporaryFolder("provenance")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A copy of the finished dataset, so the shared one stays as it is (file by file: other suites
        // may be writing a report into the shared one meanwhile).
        let copy = folder + "/features"
        try FileManager.default.createDirectory(atPath: copy + "/_orchard", withIntermediateDirectories: true)
        let files = try EndToEnd.parts(of: dataset.output).map { ($0 as NSString).lastPathComponent }
            + ["_SUCCESS", "_orchard/job.json", "_orchard/run.json", "_orchard/pca.json", "_orchard/pca.orchpca"]
        for file in files {
            try FileManager.default.copyItem(atPath: dataset.output + "/" + file, toPath: copy + "/" + file)
        }
        let job = ["featurize", dataset.input, "--out", copy, "--model", EndToEnd.realModel, "--threads", "1",
                   "--pca-variance", String(SampleDataset.varianceRatio), "--images-per-part", String(SampleDataset.imagesPerPart)]
        let again = try EndToEnd.orchard(job).check()
        #expect(again.output.contains("images: \(dataset.imageCount)"), "\(again.output)")

        // Another model into the same folder: refused, and the folder keeps its job.
        let other = try EndToEnd.orchard(
            ["featurize", dataset.input, "--out", copy, "--model", EndToEnd.kerasFixtures + "/mobilenet_v2_0.35_224_no_top.h5", "--threads", "1"])
        #expect(other.status != 0, "a different job was mixed into a finished dataset")
        #expect(try EndToEnd.jsonObject(copy + "/_orchard/job.json")["model"] as? String == EndToEnd.realModel)
    }

    /// The input is recorded as an absolute path ("so datasets record where images really are"); the
    /// model must be too, or job.json, the footers and the job id name a file only relative to
    /// wherever the command happened to run.
    @Test func aRelativeModelPathIsRecordedAbsolute() throws {
        let input = try EndToEnd.sampleFolder(classes: ["Kiwi 1"], perClass: 2)
        let folder = try EndToEnd.temporaryFolder("relative-model")
        defer { for path in [input, folder] { try? FileManager.default.removeItem(atPath: path) } }
        let name = "mobilenet_v2_0.35_224_no_top.h5"
        // `cd` needs a shell: run the binary from the fixtures folder with a bare file name.
        _ = try ChildProcess.run(
            "/bin/sh", ["-c", "cd \"$1\" && exec \"$2\" featurize \"$3\" --out \"$4\" --model \"$5\" --threads 1", "sh",
                        EndToEnd.kerasFixtures, EndToEnd.orchardBinary, input, folder + "/out", name],
            environment: ["ORCHARD_MODEL": nil]
        ).check()
        let recorded = try EndToEnd.jsonObject(folder + "/out/_orchard/job.json")["model"] as? String
        #expect(recorded == EndToEnd.kerasFixtures + "/" + name, "job.json records the model as \(recorded ?? "nil")")
    }

    /// `--update` without `--model` uses the weights the dataset records (any other is refused anyway), so
    /// a user updating a dataset need not remember them; when that file has gone, the error says so.
    @Test func anUpdateWithoutAModelUsesTheOneTheDatasetRecords() throws {
        let input = try EndToEnd.sampleFolder(classes: ["Kiwi 1"], perClass: 3)
        let folder = try EndToEnd.temporaryFolder("update-model")
        defer { for path in [input, folder] { try? FileManager.default.removeItem(atPath: path) } }
        let model = folder + "/weights.h5"
        try FileManager.default.copyItem(atPath: EndToEnd.kerasFixtures + "/mobilenet_v2_0.35_224_no_top.h5", toPath: model)
        let out = folder + "/out"
        // No model in the environment or the cache: only the dataset can name it.
        let bare: [String: String?] = ["ORCHARD_MODEL": nil, "ORCHARD_CACHE": folder + "/empty-cache"]
        _ = try EndToEnd.orchard(["featurize", input, "--out", out, "--model", model, "--update", "--threads", "1"], environment: bare).check()
        let photo = try #require(try FileManager.default.contentsOfDirectory(atPath: input + "/Kiwi 1").sorted().first)
        try FileManager.default.copyItem(atPath: input + "/Kiwi 1/" + photo, toPath: input + "/Kiwi 1/copy-" + photo)

        let updated = try EndToEnd.orchard(["featurize", input, "--out", out, "--update", "--threads", "1"], environment: bare).check()
        #expect(updated.output.contains("+1 added"), "\(updated.output)")
        #expect(try EndToEnd.jsonObject(out + "/_orchard/job.json")["model"] as? String == model)

        try FileManager.default.removeItem(atPath: model)
        let moved = try EndToEnd.orchard(["featurize", input, "--out", out, "--update"], environment: bare)
        #expect(moved.status != 0)
        #expect(moved.errors.contains("\(model), which is no longer there") && moved.errors.contains("--model"), "\(moved.errors)")
    }
}
