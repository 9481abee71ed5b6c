import Foundation
import OrchardTestKit
import Testing

/// What evaluate and train check in the rows they read: the network that made them, labels the bundle
/// never saw, rows without a label.
@Suite struct EvaluateChecksTests {
    /// A copy of the sample dataset whose rows are changed by `python` (given the copy's folder).
    static func copy(_ name: String, changing python: String) async throws -> String {
        let dataset = try await SampleDataset.get()
        let folder = try EndToEnd.temporaryFolder("evaluate-checks") + "/" + name
        EndToEnd.removeAtExit([(folder as NSString).deletingLastPathComponent])
        try FileManager.default.createDirectory(atPath: folder + "/_orchard", withIntermediateDirectories: true)
        for file in try EndToEnd.parts(of: dataset.output).map({ ($0 as NSString).lastPathComponent }) + ["_SUCCESS", "_orchard/job.json"] {
            try FileManager.default.copyItem(atPath: dataset.output + "/" + file, toPath: folder + "/" + file)
        }
        _ = try ChildProcess.python("""
            import glob, sys, pyarrow as pa, pyarrow.parquet as pq
            for path in sorted(glob.glob(sys.argv[1] + "/part-*.parquet")):
                table = pq.read_table(path)
                labels = table.column("label").to_pylist()
            \(python)
                pq.write_table(table.set_column(table.schema.get_field_index("label"), "label", pa.array(labels, pa.string())), path)
            """, [folder])
        return folder
    }

    @Test func featuresOfAnotherNetworkAreRefused() async throws {
        let bundle = try await SmallBundle.get()
        let other = try await Self.copy("other-network", changing: "    pass")
        let jobFile = other + "/_orchard/job.json"
        var record = try EndToEnd.jsonObject(jobFile)
        record["modelSHA256"] = String(repeating: "ab", count: 32)
        try JSONSerialization.data(withJSONObject: record).write(to: URL(fileURLWithPath: jobFile))
        let run = try EndToEnd.orchard(["evaluate", bundle, other])
        #expect(run.status == 1 && run.errors.contains("holds features of") && run.errors.contains(String(repeating: "ab", count: 32)), "\(run.errors)")
        #expect(!run.output.contains("accuracy"))
    }

    @Test func labelsTheBundleNeverSawAreNamed() async throws {
        let bundle = try await SmallBundle.get()
        let mango = try await Self.copy("mango", changing: "    labels = ['Mango 1' for _ in labels]")
        let run = try EndToEnd.orchard(["evaluate", bundle, mango, "--json"]).check()
        #expect(run.errors.contains("1 label(s) of these rows are not among the bundle's 3 classes") && run.errors.contains("Mango 1"), "\(run.errors)")
        #expect((try? JSONSerialization.jsonObject(with: run.stdout)) != nil, "stdout is not one JSON object: \(run.output)")
    }

    @Test func rowsWithoutALabelAreSkippedAndSaidSo() async throws {
        let unlabeled = try await Self.copy("unlabeled", changing: "    labels = [None if i % 3 == 0 else l for i, l in enumerate(labels)]")
        let folder = try EndToEnd.temporaryFolder("unlabeled-bundle")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let trained = try EndToEnd.orchard(["train", unlabeled, "--out", folder + "/fruit.orchard"]).check()
        #expect(trained.output.contains("3 classes") && trained.output.contains("rows without a label skipped"), "\(trained.output)")
        let scored = try EndToEnd.orchard(["evaluate", folder + "/fruit.orchard", unlabeled]).check()
        #expect(scored.output.contains("rows without a label skipped"), "\(scored.output)")
        #expect(!scored.errors.contains("not among the bundle's"), "an empty label counted as a class: \(scored.errors)")
    }
}

/// `featurize --classifier` without `--model` runs the network the bundle was trained on, as `classify` does.
@Suite struct ClassifierBackboneTests {
    @Test func featurizeWithAClassifierNeedsNoModelWhenTheBundleCarriesItsBackbone() async throws {
        let dataset = try await SampleDataset.get()
        let folder = try EndToEnd.temporaryFolder("classifier-backbone")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bundle = folder + "/fruit.orchard"
        try EndToEnd.orchard(["train", dataset.output, "--out", bundle, "--embed-backbone"], timeout: .seconds(600)).check()
        let bare: [String: String?] = ["ORCHARD_MODEL": nil, "ORCHARD_CACHE": folder + "/cache"]
        let input = try EndToEnd.sampleFolder(classes: ["Kiwi 1"], perClass: 2)
        defer { try? FileManager.default.removeItem(atPath: input) }
        let run = try EndToEnd.orchard(["featurize", input, "--out", folder + "/predicted", "--classifier", bundle, "--threads", "1"], environment: bare)
        #expect(run.status == 0, "\(run.errors)")
        let model = try EndToEnd.jsonObject(folder + "/predicted/_orchard/job.json")["model"] as? String
        #expect(model?.hasPrefix(folder + "/cache/embedded/") == true, "job.json records \(model ?? "nil")")
        // The copy is the network the datasets recorded, and a second run reuses it.
        let recorded = try EndToEnd.jsonObject(dataset.output + "/_orchard/job.json")["modelSHA256"] as? String
        #expect(model.map { ($0 as NSString).lastPathComponent.hasPrefix(recorded ?? "-") } == true)
        try EndToEnd.orchard(["featurize", input, "--out", folder + "/predicted", "--classifier", bundle, "--threads", "1"], environment: bare).check()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/cache/embedded").sorted() == [
            (model! as NSString).lastPathComponent, (model! as NSString).lastPathComponent + ".sha256"].sorted())
    }
}
