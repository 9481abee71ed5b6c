import Foundation
import OrchardTestKit
import Testing

/// Where `export` writes: missing folders are made, its own earlier export is replaced, and a file it did
/// not write (at --out, or a labels.txt beside it) is left alone unless --overwrite is given.
@Suite struct ExportFilesTests {
    static func export(_ bundle: String, to out: String, _ extra: [String] = []) throws -> ChildProcess.Completed {
        try EndToEnd.orchard(["export", bundle, "--format", "tflite", "--out", out, "--backbone", EndToEnd.realModel] + extra)
    }

    static func text(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    @Test func missingFoldersAreMadeAndAnEarlierExportIsReplacedWithoutFlags() async throws {
        let bundle = try await SmallBundle.get()
        let folder = try EndToEnd.temporaryFolder("export-files")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/nodir/sub/fruit.tflite"
        let first = try Self.export(bundle, to: out)
        #expect(first.status == 0, "\(first.errors)")
        #expect(Self.text(folder + "/nodir/sub/labels.txt") == SampleDataset.classes.map { $0 + "\n" }.joined())
        #expect(FileManager.default.fileExists(atPath: out))
        let again = try Self.export(bundle, to: out)
        #expect(again.status == 0, "re-export over its own export: \(again.errors)")
    }

    @Test func anOutThatIsNotAnOrchardExportIsKeptUnlessOverwrite() async throws {
        let bundle = try await SmallBundle.get()
        let folder = try EndToEnd.temporaryFolder("export-files")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/fruit.tflite"
        try "someone's model".write(toFile: out, atomically: true, encoding: .utf8)
        let refused = try Self.export(bundle, to: out)
        #expect(refused.status != 0)
        #expect(refused.errors.contains(out) && refused.errors.contains("--overwrite"), "\(refused.errors)")
        #expect(Self.text(out) == "someone's model")
        #expect(!FileManager.default.fileExists(atPath: folder + "/labels.txt"))
        try Self.export(bundle, to: out, ["--overwrite"]).check()
        #expect(Self.text(out) != "someone's model")
    }

    @Test func aLabelsFileThatIsNotTheExportsIsKeptUnlessOverwrite() async throws {
        let bundle = try await SmallBundle.get()
        let folder = try EndToEnd.temporaryFolder("export-files")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/fruit.tflite", labels = folder + "/labels.txt"
        // Beside no export at all…
        try "my notes\n".write(toFile: labels, atomically: true, encoding: .utf8)
        let refused = try Self.export(bundle, to: out)
        #expect(refused.status != 0)
        #expect(refused.errors.contains(labels) && refused.errors.contains("--overwrite"), "\(refused.errors)")
        #expect(Self.text(labels) == "my notes\n")
        #expect(!FileManager.default.fileExists(atPath: out))
        // …and beside an Orchard export whose labels it no longer holds.
        try Self.export(bundle, to: out, ["--overwrite"]).check()
        try "edited\n".write(toFile: labels, atomically: true, encoding: .utf8)
        let model = try Data(contentsOf: URL(fileURLWithPath: out))
        let refusedAgain = try Self.export(bundle, to: out)
        #expect(refusedAgain.status != 0, "\(refusedAgain.output)")
        #expect(Self.text(labels) == "edited\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == model)
        try Self.export(bundle, to: out, ["--overwrite"]).check()
        #expect(Self.text(labels) == SampleDataset.classes.map { $0 + "\n" }.joined())
    }
}
