import Foundation
import OrchardTestKit
import Testing

/// What the readers of datasets (train, evaluate, pca) say when given something that is not a finished
/// dataset: each case named for what it is, and "interrupted, run it again" only for an interrupted run.
@Suite struct NotADatasetTests {
    @Test func eachWrongFolderIsNamedForWhatItIs() async throws {
        let bundle = try await SmallBundle.get()
        let dataset = try await SampleDataset.get()
        let folder = try EndToEnd.temporaryFolder("not-a-dataset")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let manager = FileManager.default
        let part = try #require(try EndToEnd.parts(of: dataset.output).first)
        // Two datasets side by side; Parquet parts another tool wrote; an Orchard run stopped before _SUCCESS.
        for name in ["both/a", "both/b", "plain", "stopped/_orchard"] {
            try manager.createDirectory(atPath: folder + "/" + name, withIntermediateDirectories: true)
        }
        for target in ["both/a", "both/b", "plain", "stopped"] {
            try manager.copyItem(atPath: part, toPath: folder + "/" + target + "/part-00000.parquet")
        }
        for target in ["both/a", "both/b"] { manager.createFile(atPath: folder + "/" + target + "/_SUCCESS", contents: Data()) }
        try manager.copyItem(atPath: dataset.output + "/_orchard/job.json", toPath: folder + "/stopped/_orchard/job.json")

        let cases = [
            (folder + "/missing", "no such file or folder"),
            (dataset.input, "it holds photos, not features: featurize them first"),
            (folder + "/both", "it holds 2 dataset(s) in subfolders, not one: name each, e.g. \(folder)/both/a"),
            (folder + "/plain", "no _SUCCESS and no Orchard record"),
            (part, "a file, not a dataset: give the dataset's folder (\(dataset.output)"),
            (folder + "/stopped", "its run was interrupted or is still going"),
        ]
        for (path, reason) in cases {
            let run = try EndToEnd.orchard(["evaluate", bundle, path])
            #expect(run.status == 1 && run.errors.contains(reason), "\(path): \(run.errors)")
        }
        // What another tool wrote whole is read when asked.
        let plain = try EndToEnd.orchard(["evaluate", bundle, folder + "/plain", "--allow-incomplete"])
        #expect(plain.status == 0, "\(plain.errors)")
    }
}
