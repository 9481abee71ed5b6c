import Foundation
import OrchardTestKit
import Testing

/// What `train --out` and `export --out` never write over: a user's file (unless --overwrite), the command's
/// own input, a folder, a file inside a featurized dataset (its readers would take it for a part).
@Suite struct OutputFileTests {
    @Test func trainReplacesOnlyAnEarlierBundleUnlessOverwrite() async throws {
        let dataset = try await SampleDataset.get()
        let folder = try EndToEnd.temporaryFolder("train-out")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let thesis = folder + "/thesis.txt"
        try "my thesis".write(toFile: thesis, atomically: true, encoding: .utf8)
        let refused = try EndToEnd.orchard(["train", dataset.output, "--out", thesis])
        #expect(refused.status == 1 && !refused.errors.contains("Usage"), "\(refused.status) \(refused.errors)")
        #expect(refused.errors.contains("\(thesis) exists and is not a classifier bundle") && refused.errors.contains("--overwrite"), "\(refused.errors)")
        #expect(!refused.output.contains("iteration"), "it trained before refusing")
        #expect(try String(contentsOfFile: thesis, encoding: .utf8) == "my thesis")

        // An earlier bundle is replaced as it is, into folders made on the way; --overwrite replaces anything.
        let bundle = folder + "/new/models/fruit v1.orchard"
        try EndToEnd.orchard(["train", dataset.output, "--out", bundle]).check()
        let again = try EndToEnd.orchard(["train", dataset.output, "--out", bundle]).check()
        #expect(again.output.contains("orchard evaluate '\(bundle)' DATASET"), "the hint is not one shell word: \(again.output)")
        try EndToEnd.orchard(["train", dataset.output, "--out", thesis, "--overwrite"]).check()
        #expect(try Data(contentsOf: URL(fileURLWithPath: thesis)).prefix(8) == Data("ORCHCLSF".utf8))

        for (out, hint) in [(folder + "/new", "is a folder"), (dataset.output + "/fruit.orchard", "inside the featurized dataset")] {
            let run = try EndToEnd.orchard(["train", dataset.output, "--out", out, "--overwrite"])
            #expect(run.status == 1 && run.errors.contains(hint), "\(out): \(run.errors)")
        }
        #expect(!FileManager.default.fileExists(atPath: dataset.output + "/fruit.orchard"))
    }

    @Test func exportNeverWritesOverItsBundleOrIntoADataset() async throws {
        let bundle = try await SmallBundle.get()
        let dataset = try await SampleDataset.get()
        let copy = try EndToEnd.temporaryFolder("export-out") + "/fruit.orchard"
        defer { try? FileManager.default.removeItem(atPath: (copy as NSString).deletingLastPathComponent) }
        try FileManager.default.copyItem(atPath: bundle, toPath: copy)
        let original = try Data(contentsOf: URL(fileURLWithPath: copy))
        for (out, hint) in [(copy, "is the input"), (dataset.output + "/fruit.tflite", "inside the featurized dataset"),
                            ((copy as NSString).deletingLastPathComponent, "is a folder")] {
            let run = try ExportFilesTests.export(copy, to: out, ["--overwrite"])
            #expect(run.status == 1 && !run.errors.contains("Usage"), "\(out): \(run.status) \(run.errors)")
            #expect(run.errors.contains(hint), "\(out): \(run.errors)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == original)
        #expect(!FileManager.default.fileExists(atPath: dataset.output + "/fruit.tflite"))
    }
}
