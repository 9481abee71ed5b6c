import Foundation
import LinearAlgebra
import OrchardTestKit
import Testing
@testable import Pipeline

/// `featurize --update`: an updated dataset has exactly the rows a from-scratch run on the new input has,
/// whatever was added, removed or changed, and however often the update was killed on the way.
@Suite(.serialized) struct UpdateTests {
    let engine = LocalEngine(stores: StoreResolver(), progressOutput: { _ in })

    /// Changes `input` the three ways a collection changes: 3 photos of a new class added, 2 removed, 1
    /// replaced by another photo (new bytes, later mtime).
    static func change(_ input: String) throws {
        let fm = FileManager.default
        let source = "\(TestSupport.samples)/Test/Mango 1"
        try fm.createDirectory(atPath: "\(input)/Mango 1", withIntermediateDirectories: true)
        for file in try fm.contentsOfDirectory(atPath: source).sorted().prefix(3) {
            try fm.copyItem(atPath: "\(source)/\(file)", toPath: "\(input)/Mango 1/\(file)")
        }
        let apples = try fm.contentsOfDirectory(atPath: "\(input)/Apple 10").sorted()
        for file in apples.prefix(2) { try fm.removeItem(atPath: "\(input)/Apple 10/\(file)") }
        let bananas = try fm.contentsOfDirectory(atPath: "\(input)/Banana 1").sorted()
        let other = try fm.contentsOfDirectory(atPath: "\(TestSupport.samples)/Test/Banana 1").sorted().last!
        let replaced = "\(input)/Banana 1/\(bananas[0])"
        try Data(contentsOf: URL(fileURLWithPath: "\(TestSupport.samples)/Test/Banana 1/\(other)"))
            .write(to: URL(fileURLWithPath: replaced))
        try fm.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: replaced)
    }

    static func job(_ input: String, _ output: String, policy: PCAUpdatePolicy = .refit, update: Bool = true) -> FeaturizeJob {
        var job = TestSupport.job(input, output, pca: 3, imagesPerPart: 4)
        job.update = update
        job.pcaUpdate = policy
        return job
    }

    /// Rows equal: same paths and labels, features within 1e-6, PCA projections equal up to each
    /// component's sign (within 1e-4 of their scale).
    static func expectSameRows(_ rows: [FeatureRow], _ expected: [FeatureRow]) {
        #expect(rows.map(\.path) == expected.map(\.path))
        #expect(rows.map(\.label) == expected.map(\.label))
        #expect(rows.map(\.error) == expected.map(\.error))
        let worst = zip(rows, expected).map { a, b in
            zip(a.features ?? [], b.features ?? []).map { abs($0 - $1) }.max() ?? 0
        }.max() ?? 0
        #expect(worst <= 1e-6, "features differ by \(worst)")
        let k = expected.first?.pca?.count ?? 0
        #expect(rows.allSatisfy { $0.pca?.count == k })
        let scale = expected.flatMap { $0.pca ?? [] }.map(abs).max() ?? 1
        for component in 0 ..< k {
            let same = zip(rows, expected).map { abs($0.pca![component] - $1.pca![component]) }.max() ?? 0
            let flipped = zip(rows, expected).map { abs($0.pca![component] + $1.pca![component]) }.max() ?? 0
            #expect(min(same, flipped) <= 1e-4 * scale, "component \(component) differs by \(min(same, flipped))")
        }
    }

    /// What a folder holds besides the parts its manifest lists: nothing visible, no staging, no temporaries.
    static func expectOnlyManifestParts(_ output: String) throws {
        let manifest = try DatasetManifest.decode(
            Array(try Data(contentsOf: URL(fileURLWithPath: output + "/_orchard/manifest.json"))), source: output)
        #expect(manifest.publish == nil)
        let names = try FileManager.default.contentsOfDirectory(atPath: output)
        #expect(Set(names.filter { $0.hasPrefix("part-") }) == Set(manifest.parts.map(\.name)))
        #expect(!names.contains("_temporary"))
        #expect(!names.contains { $0.hasSuffix(".tmp") })
        #expect(names.contains("_SUCCESS"))
        let stats = try FileManager.default.contentsOfDirectory(atPath: output + "/_orchard/stats")
        #expect(Set(stats) == Set(manifest.parts.map { $0.name + ".cov" }))
    }

    static let classes = ["Apple 10", "Banana 1", "Kiwi 1"]

    /// Add, remove and change photos, then update: the dataset equals a from-scratch run on the new input,
    /// only new and changed photos were featurized, and the history says what happened.
    @Test func anUpdateEqualsAFromScratchRunOnTheNewInput() async throws {
        let input = try TestSupport.sampleFolder(classes: Self.classes, perClass: 6)
        let output = try TestSupport.temporaryFolder("updated")
        _ = try await engine.run(Self.job(input, output, update: false))
        try Self.change(input)

        let summary = try await engine.run(Self.job(input, output))
        #expect(summary.images == 19)
        #expect(summary.resumed == 15)  // 3 added + 1 changed featurized
        #expect(summary.version == 2)
        let last = try #require(summary.history?.last)
        #expect((last.added, last.removed, last.changed, last.pcaRefitted) == (3, 2, 1, true))

        let scratch = try TestSupport.temporaryFolder("scratch")
        _ = try await engine.run(Self.job(input, scratch, update: false))
        Self.expectSameRows(try await TestSupport.rows(of: output), try await TestSupport.rows(of: scratch))
        try Self.expectOnlyManifestParts(output)

        // The same update again: nothing to do, nothing featurized or written, the same rows.
        let records = try ["job.json", "run.json"].map { try Data(contentsOf: URL(fileURLWithPath: output + "/_orchard/" + $0)) }
        let again = try await engine.run(Self.job(input, output, policy: .auto))
        #expect(try ["job.json", "run.json"].map { try Data(contentsOf: URL(fileURLWithPath: output + "/_orchard/" + $0)) } == records,
                "the report still describes the run that made version 2")
        #expect(again.upToDate == true && again.text.contains("up to date"), "\(again.text)")
        #expect(again.resumed == 19)
        #expect(again.version == 2)
        Self.expectSameRows(try await TestSupport.rows(of: output), try await TestSupport.rows(of: scratch))

        // One class folder given by mistake: refused, rather than read as every other photo removed.
        let error = await #expect(throws: PipelineError.self) { try await engine.run(Self.job(input + "/Kiwi 1", output)) }
        #expect(error?.description.contains("holds the photos of \(input), not of \(input)/Kiwi 1") == true, "\(String(describing: error))")
        Self.expectSameRows(try await TestSupport.rows(of: output), try await TestSupport.rows(of: scratch))
    }

    /// Updates of one photo each fold it into the dataset's small part rather than adding a part (and a
    /// file of PCA sums) per update: every part but one stays at least half full, and the rows stay a
    /// from-scratch run's.
    @Test func smallUpdatesDoNotPileUpParts() async throws {
        let input = try TestSupport.sampleFolder(classes: Self.classes, perClass: 5)
        let output = try TestSupport.temporaryFolder("small-updates")
        _ = try await engine.run(Self.job(input, output, policy: .auto, update: false))
        let source = "\(TestSupport.samples)/Test/Mango 1"
        try FileManager.default.createDirectory(atPath: "\(input)/Mango 1", withIntermediateDirectories: true)
        for (index, file) in try FileManager.default.contentsOfDirectory(atPath: source).sorted().prefix(6).enumerated() {
            try FileManager.default.copyItem(atPath: "\(source)/\(file)", toPath: "\(input)/Mango 1/\(file)")
            let summary = try await engine.run(Self.job(input, output, policy: .auto))
            #expect(summary.resumed == 15 + index, "only the new photo is featurized")
            let manifest = try DatasetManifest.decode(
                Array(try Data(contentsOf: URL(fileURLWithPath: output + "/_orchard/manifest.json"))), source: output)
            let sizes = manifest.parts.map(\.images.count)
            #expect(sizes.reduce(0, +) == 16 + index)
            #expect(sizes.filter { $0 < 2 }.count <= 1 && sizes.count <= 2 * ((16 + index + 3) / 4), "parts of \(sizes) rows")
            try Self.expectOnlyManifestParts(output)
        }
        let scratch = try TestSupport.temporaryFolder("small-updates-scratch")
        _ = try await engine.run(Self.job(input, scratch, update: false))
        Self.expectSameRows(try await TestSupport.rows(of: output), try await TestSupport.rows(of: scratch))
    }

    /// `--keep-pca` projects new rows with the dataset's existing model, which stays as it was.
    @Test func keepPCAProjectsNewRowsWithTheExistingModel() async throws {
        let input = try TestSupport.sampleFolder(classes: Self.classes, perClass: 5)
        let output = try TestSupport.temporaryFolder("kept")
        _ = try await engine.run(Self.job(input, output, update: false))
        let before = try Data(contentsOf: URL(fileURLWithPath: output + "/_orchard/pca.orchpca"))
        try Self.change(input)
        let summary = try await engine.run(Self.job(input, output, policy: .keep))
        #expect(summary.history?.last?.pcaRefitted == false)
        let after = try Data(contentsOf: URL(fileURLWithPath: output + "/_orchard/pca.orchpca"))
        #expect(after == before)
        let model = try PCAModel(serialized: Array(after))
        let rows = try await TestSupport.rows(of: output)
        #expect(rows.count == 16)
        for row in rows { #expect(row.pca == (try model.transform(row.features!))) }
        try Self.expectOnlyManifestParts(output)

        // Orchard's own readers take the parts from the manifest: one committed but not yet published
        // is refused rather than read as a mix of two versions.
        let manifestFile = URL(fileURLWithPath: output + "/_orchard/manifest.json")
        var manifest = try DatasetManifest.decode(Array(try Data(contentsOf: manifestFile)), source: output)
        manifest.publish = DatasetManifest.Publish(staging: DatasetLayout.updateStaging, newParts: [], droppedParts: [], newPCA: false)
        try Data(try manifest.encoded()).write(to: manifestFile)
        await #expect(throws: PipelineError.self) { _ = try await TestSupport.rows(of: output) }
        // The same command without --update finishes the publish plan (roll forward) before anything else.
        _ = try await engine.run(Self.job(input, output, policy: .keep, update: false))
        #expect(try await TestSupport.rows(of: output).count == 16)
        try Self.expectOnlyManifestParts(output)
    }

    /// An update with another network is refused and leaves the dataset as it was.
    @Test func anUpdateWithAnotherModelIsRefused() async throws {
        let input = try TestSupport.sampleFolder(classes: ["Kiwi 1"], perClass: 3)
        let output = try TestSupport.temporaryFolder("model")
        _ = try await engine.run(Self.job(input, output, update: false))
        let manifest = try Data(contentsOf: URL(fileURLWithPath: output + "/_orchard/manifest.json"))
        let other = try TestSupport.temporaryFolder("model-copy") + "/other.tflite"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: TestSupport.model))
        bytes.append(0)
        try bytes.write(to: URL(fileURLWithPath: other))
        var job = Self.job(input, output)
        job.modelPath = other
        let error = await #expect(throws: PipelineError.self) { try await engine.run(job) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("not this one"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: output + "/_orchard/manifest.json")) == manifest)
    }

    /// Where an update is killed: while featurizing, while writing its final parts, while publishing.
    enum KillPoint: String, CaseIterable, CustomStringConvertible, Sendable {
        case featurizing, writing, publishing

        var description: String { rawValue }

        /// Whether the point is reached in `output`, whose version-1 parts are `old`.
        func reached(_ output: String, old: Set<String>) -> Bool {
            func parts(_ folder: String) -> [String] {
                ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix("part-") }
            }
            switch self {
            case .featurizing: return parts(output + "/_temporary/update/features").count >= 1
            case .writing: return parts(output + "/_temporary/update/parts").count >= 1
            case .publishing: return parts(output).contains { !old.contains($0) }
            }
        }

        var folder: String {
            switch self {
            case .featurizing: "/_temporary/update/features"
            case .writing: "/_temporary/update/parts"
            case .publishing: ""
            }
        }
    }

    /// An update killed with SIGKILL at several points and run again has exactly the rows of an
    /// uninterrupted update.
    @Test(arguments: KillPoint.allCases)
    func aKilledUpdateRunAgainHasTheRowsOfAnUninterruptedOne(killedAt point: KillPoint) async throws {
        let input = try TestSupport.sampleFolder(classes: Self.classes, perClass: 6)
        let arguments = { (output: String) in
            ["featurize", input, "--out", output, "--model", TestSupport.model, "--pca", "3", "--images-per-part", "1",
             "--threads", "1"]
        }
        let reference = try TestSupport.temporaryFolder("reference")
        let output = try TestSupport.temporaryFolder("killed")
        try TestSupport.run(TestSupport.orchardBinary, arguments(reference))
        try TestSupport.run(TestSupport.orchardBinary, arguments(output))
        let old = Set(try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasPrefix("part-") })
        try Self.change(input)
        // --refit-pca: every part is written again, so each point lasts long enough to be caught.
        try TestSupport.run(TestSupport.orchardBinary, arguments(reference) + ["--update", "--refit-pca"])
        let expected = try await TestSupport.rows(of: reference)

        // At the lowest priority, so the watcher is woken and kills the update before it ends. `nice` execs.
        let victim = try ChildProcess.Running(
            "/usr/bin/nice", ["-n", "19", TestSupport.orchardBinary] + arguments(output) + ["--update", "--refit-pca"],
            streams: .discarded)
        let pid = victim.pid
        try await Waiting.untilFolderChanges(
            output + point.folder, satisfy: "\(point)", timeout: .seconds(900), then: { _ = kill(pid, SIGKILL) }
        ) {
            point.reached(output, old: old)
        }
        #expect(try victim.wait() == 128 + SIGKILL)

        try TestSupport.run(TestSupport.orchardBinary, arguments(output) + ["--update", "--refit-pca"])
        let rows = try await TestSupport.rows(of: output)
        #expect(rows.map(\.path) == expected.map(\.path))
        #expect(rows.map(\.features) == expected.map(\.features))
        #expect(rows.map(\.pca) == expected.map(\.pca))
        try Self.expectOnlyManifestParts(output)
    }

    /// A pyarrow reader that reads the dataset through its manifest while an update commits sees the
    /// old version's rows or the new version's, never a mix.
    @Test func aConcurrentReaderSeesTheOldOrTheNewVersionNeverAMix() async throws {
        let input = try TestSupport.sampleFolder(classes: Self.classes, perClass: 6)
        let output = try TestSupport.temporaryFolder("read")
        _ = try await engine.run(Self.job(input, output, update: false))
        let before = try await TestSupport.rows(of: output).map(\.path)
        try Self.change(input)

        let control = try TestSupport.temporaryFolder("reader")
        let reader = try ChildProcess.Running("python3", ["-c", Self.readerScript, output, control], streams: .discarded)
        try await Waiting.untilFolderChanges(control, satisfy: "the reader's first read") {
            FileManager.default.fileExists(atPath: control + "/ready")
        }
        _ = try await engine.run(Self.job(input, output))
        let after = try await TestSupport.rows(of: output).map(\.path)
        FileManager.default.createFile(atPath: control + "/stop", contents: Data())
        #expect(try reader.wait() == 0)

        let seen = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: control + "/seen.json"))) as? [[String]] ?? []
        #expect(seen.count >= 2)
        for paths in seen { #expect(paths == before || paths == after, "a read saw \(paths.count) rows of neither version") }
        #expect(seen.first == before)
        #expect(seen.last == after)
    }

    /// Reads the dataset in argv[1] through `_orchard/manifest.json` until argv[2]/stop exists (one last
    /// read after it); writes each distinct sorted path list it saw, in order, to argv[2]/seen.json. A part
    /// deleted between reading the manifest and opening it means a newer version: read again.
    static let readerScript = """
        import json, os, sys
        import pyarrow.parquet as pq
        out, control = sys.argv[1], sys.argv[2]
        def read():
            while True:
                try:
                    manifest = json.load(open(out + "/_orchard/manifest.json"))
                    paths = []
                    for part in manifest["parts"]:
                        paths += pq.read_table(out + "/" + part["name"], columns=["path"]).column("path").to_pylist()
                    return sorted(paths)
                except (FileNotFoundError, OSError):
                    continue
        seen = []
        while True:
            stopping = os.path.exists(control + "/stop")
            paths = read()
            if not seen or seen[-1] != paths:
                seen.append(paths)
            if not os.path.exists(control + "/ready"):
                open(control + "/ready", "w").close()
            if stopping:
                break
        json.dump(seen, open(control + "/seen.json", "w"))
        """
}
