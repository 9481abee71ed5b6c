import Foundation
import OrchardTestKit
import Storage
import Testing
@testable import Pipeline

/// Nothing is lost: OUT never overlaps INPUT, only Orchard's own datasets are replaced, one run writes an
/// OUT at a time, a part cut short is redone, and a changed model or photo is a new job.
@Suite struct OutputSafetyTests {
    let engine = LocalEngine(stores: StoreResolver(), progressOutput: { _ in })

    /// The photos under `folder`, with their bytes, to prove a refused run left them untouched.
    static func snapshot(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: folder) {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isFolder), !isFolder.boolValue {
                files[path] = FileManager.default.contents(atPath: folder + "/" + path)
            }
        }
        return files
    }

    @Test func anOutputThatOverlapsTheInputIsRefusedAndThePhotosStay() async throws {
        let input = try TestSupport.sampleFolder(classes: ["Kiwi 1", "Lemon 1"], perClass: 2)
        let before = try Self.snapshot(input)
        let link = try TestSupport.temporaryFolder("link") + "/photos"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: input)
        let parent = (input as NSString).deletingLastPathComponent
        let outputs = [input, input + "/", input + "/Kiwi 1", input + "/features", input + "/Kiwi 1/../features", link, link + "/out", parent]
        for output in outputs {
            for overwrite in [false, true] {
                var job = TestSupport.job(input, output)
                job.overwrite = overwrite
                await #expect(throws: PipelineError.self, "--out \(output) overwrite \(overwrite)") { try await engine.run(job) }
            }
        }
        #expect(try Self.snapshot(input) == before)
    }

    @Test func s3OverlapIsJudgedByBucketAndPrefix() throws {
        func refused(_ input: String, _ output: String) -> Bool {
            (try? OutputPlacement.refuseOverlap(input: StorageLocation(parsing: input), output: StorageLocation(parsing: output))) == nil
        }
        #expect(refused("s3://fruits/photos", "s3://fruits/photos"))
        #expect(refused("s3://fruits/photos", "s3://fruits/photos/features"))
        #expect(refused("s3://fruits/photos/", "s3://fruits/"))
        #expect(refused("s3://fruits/photos", "s3://fruits"))
        #expect(!refused("s3://fruits/photos", "s3://fruits/photos-features"))
        #expect(!refused("s3://fruits/photos", "s3://other/photos"))
        #expect(!refused("s3://fruits/photos", "/tmp/photos"))
    }

    @Test func overwriteReplacesOnlyWhatTheDatasetConsistsOf() async throws {
        let input = try TestSupport.sampleFolder(classes: ["Orange 1"], perClass: 3)
        let parent = try TestSupport.temporaryFolder("parent")
        let output = parent + "/out"
        _ = try await engine.run(TestSupport.job(input, output, imagesPerPart: 2))
        var other = TestSupport.job(input, output, imagesPerPart: 1)
        await #expect(throws: PipelineError.self, "another job is refused without overwrite") { try await engine.run(other) }
        other.overwrite = true
        _ = try await engine.run(other)
        let names = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasPrefix("part-") }
        #expect(names.count == 3, "only the new job's parts remain: \(names)")
        #expect(FileManager.default.fileExists(atPath: parent), "a parent of OUT is never removed")

        // A file the user dropped into the dataset stops any overwrite, and survives.
        try Data("mine".utf8).write(to: URL(fileURLWithPath: output + "/notes.txt"))
        await #expect(throws: PipelineError.self) { try await engine.run(other) }
        #expect(FileManager.default.contents(atPath: output + "/notes.txt") == Data("mine".utf8))

        // Another tool's Spark-style dataset (parts and _SUCCESS, no _orchard/job.json) is never deleted,
        // with or without --overwrite.
        let spark = parent + "/spark-made"
        try FileManager.default.createDirectory(atPath: spark, withIntermediateDirectories: true)
        for name in ["part-00000-0b1c2d3e-c000.snappy.parquet", "_SUCCESS"] {
            try Data("theirs".utf8).write(to: URL(fileURLWithPath: spark + "/" + name))
        }
        for overwrite in [false, true] {
            var job = TestSupport.job(input, spark, imagesPerPart: 1)
            job.overwrite = overwrite
            await #expect(throws: PipelineError.self, "overwrite \(overwrite)") { try await engine.run(job) }
            #expect(FileManager.default.contents(atPath: spark + "/part-00000-0b1c2d3e-c000.snappy.parquet") == Data("theirs".utf8))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: spark).sorted() == ["_SUCCESS", "part-00000-0b1c2d3e-c000.snappy.parquet"],
                "nothing of Orchard's (not even its lock) is left in another tool's folder")
    }

    @Test func overwriteKeepsPartsAUserCopiedIntoTheDataset() async throws {
        let input = try TestSupport.sampleFolder(classes: ["Orange 1"], perClass: 3)
        let parent = try TestSupport.temporaryFolder("copied-in")
        let output = parent + "/out"
        let elsewhere = parent + "/elsewhere"
        _ = try await engine.run(TestSupport.job(input, output, imagesPerPart: 2))
        _ = try await engine.run(TestSupport.job(input, elsewhere, imagesPerPart: 3))
        // Shaped like Orchard's parts (another Orchard dataset's, a Spark run's), but copied in by the user.
        let copied = try FileManager.default.contentsOfDirectory(atPath: elsewhere).first { $0.hasPrefix("part-") }!
        let sparkNamed = "part-00000-3f2a1c4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b-c000.snappy.parquet"
        for name in [copied, sparkNamed] {
            try FileManager.default.copyItem(atPath: elsewhere + "/" + copied, toPath: output + "/" + name)
        }
        let kept = try Data(contentsOf: URL(fileURLWithPath: elsewhere + "/" + copied))
        var other = TestSupport.job(input, output, imagesPerPart: 1)
        other.overwrite = true
        await #expect(throws: PipelineError.self) { try await engine.run(other) }
        do {
            _ = try await engine.run(other)
        } catch {
            #expect("\(error)".contains("2 file(s) orchard did not write"), "\(error)")
        }
        for name in [copied, sparkNamed] {
            #expect(FileManager.default.contents(atPath: output + "/" + name) == kept, "\(name) survives")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasPrefix("part-") }.count == 4,
                "the dataset's own parts stay too")

        // Moved away, the overwrite goes ahead.
        for name in [copied, sparkNamed] { try FileManager.default.removeItem(atPath: output + "/" + name) }
        _ = try await engine.run(other)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasPrefix("part-") }.count == 3)
    }

    /// A dataset an earlier Orchard wrote on Spark (Spark-named parts, `run.json` saying so, no parts record)
    /// is still Orchard's to replace.
    @Test func overwriteReplacesASparkDatasetOfAnOrchardThatDidNotRecordItsParts() async throws {
        let input = try TestSupport.sampleFolder(classes: ["Lemon 1"], perClass: 2)
        let output = try TestSupport.temporaryFolder("older-spark")
        _ = try await engine.run(TestSupport.job(input, output))
        let part = try FileManager.default.contentsOfDirectory(atPath: output).first { $0.hasPrefix("part-") }!
        try FileManager.default.moveItem(
            atPath: output + "/" + part, toPath: output + "/part-00000-3f2a1c4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b-c000.snappy.parquet")
        try FileManager.default.removeItem(atPath: output + "/_orchard/manifest.json")
        var summary = try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: URL(fileURLWithPath: output + "/_orchard/run.json")))
        summary.engine = "spark"
        try JSONEncoder().encode(summary).write(to: URL(fileURLWithPath: output + "/_orchard/run.json"))

        var replacement = TestSupport.job(input, output, imagesPerPart: 1)
        replacement.overwrite = true
        _ = try await engine.run(replacement)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasPrefix("part-") }.count == 2)
    }

    @Test func overwriteReplacesAnUpdatedDatasetWhosePartsCameFromSeveralRuns() async throws {
        let input = try TestSupport.sampleFolder(classes: UpdateTests.classes, perClass: 6)
        let output = try TestSupport.temporaryFolder("updated-then-overwritten")
        _ = try await engine.run(UpdateTests.job(input, output, policy: .keep))
        try UpdateTests.change(input)
        _ = try await engine.run(UpdateTests.job(input, output, policy: .keep))
        let manifest = try DatasetManifest.decode(
            Array(try Data(contentsOf: URL(fileURLWithPath: output + "/_orchard/manifest.json"))), source: output)
        let jobIDs = Set(manifest.parts.map { $0.name.split(separator: "-")[2] })
        #expect(jobIDs.count == 2, "the update's parts and the first run's carry different job ids: \(jobIDs)")

        var replacement = TestSupport.job(input, output, imagesPerPart: 5)
        replacement.overwrite = true
        _ = try await engine.run(replacement)
        let names = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasPrefix("part-") }
        #expect(names.count == 4, "only the new job's parts remain: \(names)")
        #expect(try await TestSupport.rows(of: output).count == 19)
    }

    @Test func aSecondRunOnTheSameOutputFailsNamingTheFirstAndDeletesNothingOfIt() async throws {
        let input = try TestSupport.sampleFolder(classes: ["Banana 1", "Tomato 1"], perClass: 3)
        let output = try TestSupport.temporaryFolder("busy")
        let arguments = ["featurize", input, "--out", output, "--model", TestSupport.model, "--images-per-part", "2", "--threads", "1"]
        // A live run: it holds OUT's lease and is writing a part (its temporary file is there).
        let live = try await LocalStore().acquireLease(
            .local(path: output + "/_orchard/lock"), holder: "orchard, pid 4242 on farm-7", duration: .seconds(60))
        let temporary = output + "/.part-00000-0123456789abcdef.parquet.17.tmp"
        try Data("half a part".utf8).write(to: URL(fileURLWithPath: temporary))

        let second = try ChildProcess.run(TestSupport.orchardBinary, arguments)
        #expect(second.status != 0)
        #expect(second.errors.contains("pid 4242 on farm-7"), "the loser's message names the holder: \(second.errors)")
        #expect(FileManager.default.fileExists(atPath: temporary), "a live run's temporary file is never deleted")
        #expect(!FileManager.default.fileExists(atPath: output + "/_orchard/job.json"))

        // Once it is released (or its process dies: flock), the same command runs.
        await live.release()
        try FileManager.default.removeItem(atPath: temporary)
        let third = try ChildProcess.run(TestSupport.orchardBinary, arguments)
        #expect(third.status == 0, "\(third.errors)")
        #expect(try await TestSupport.rows(of: output).count == 6)
    }

    @Test func partsCutShortByACrashAreRedoneOnResume() async throws {
        let input = try TestSupport.sampleFolder(classes: ["Mango 1"], perClass: 6)
        let reference = try TestSupport.temporaryFolder("reference")
        _ = try await engine.run(TestSupport.job(input, reference, imagesPerPart: 2))
        let expected = try await TestSupport.rows(of: reference)

        // A crash without fsync can leave a committed name over a zero-length or truncated file.
        let output = try TestSupport.temporaryFolder("crashed")
        _ = try await engine.run(TestSupport.job(input, output, imagesPerPart: 2))
        let parts = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasPrefix("part-") }.sorted()
        try Data().write(to: URL(fileURLWithPath: output + "/" + parts[0]))
        let whole = try Data(contentsOf: URL(fileURLWithPath: output + "/" + parts[1]))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: output + "/" + parts[1]))
        try FileManager.default.removeItem(atPath: output + "/_SUCCESS")

        let resumed = try await engine.run(TestSupport.job(input, output, imagesPerPart: 2))
        #expect(resumed.resumed == 2, "only the intact part is kept")
        let rows = try await TestSupport.rows(of: output)
        #expect(rows.map(\.path) == expected.map(\.path))
        #expect(rows.map(\.features) == expected.map(\.features))
    }

    @Test func aChangedModelOrAnEditedPhotoIsANewJob() async throws {
        let input = try TestSupport.sampleFolder(classes: ["Kiwi 1"], perClass: 2)
        let models = try TestSupport.temporaryFolder("models")
        let model = models + "/model.tflite"
        try FileManager.default.copyItem(atPath: TestSupport.model, toPath: model)
        let output = try TestSupport.temporaryFolder("identity")
        var job = TestSupport.job(input, output)
        job.modelPath = model
        _ = try await engine.run(job)

        // Another network at the same path: its features must not be mixed with the first one's.
        let other = TestSupport.packageRoot + "/Tests/MobileNetTests/Resources/tflite_mobilenet_v2_035_float32.tflite"
        try FileManager.default.removeItem(atPath: model)
        try FileManager.default.copyItem(atPath: other, toPath: model)
        await #expect(throws: PipelineError.self, "a changed model is another job") { try await engine.run(job) }
        try FileManager.default.removeItem(atPath: model)
        try FileManager.default.copyItem(atPath: TestSupport.model, toPath: model)
        _ = try await engine.run(job)  // the original model again: the same job, already complete

        // A photo edited in place (same size, new modification time) is another job too.
        let photo = try FileManager.default.subpathsOfDirectory(atPath: input).first { $0.hasSuffix(".jpg") }!
        var times = [timespec(tv_sec: 1_500_000_000, tv_nsec: 0), timespec(tv_sec: 1_500_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, input + "/" + photo, &times, 0) == 0)
        await #expect(throws: PipelineError.self, "an edited photo is another job") { try await engine.run(job) }
    }

    @Test func readersRefuseADatasetWithoutSuccessUnlessAllowed() async throws {
        let input = try TestSupport.sampleFolder(classes: ["Lemon 1"], perClass: 3)
        let output = try TestSupport.temporaryFolder("incomplete")
        _ = try await engine.run(TestSupport.job(input, output, pca: 2))
        try FileManager.default.removeItem(atPath: output + "/_SUCCESS")
        let dataset = try FeatureDataset(root: .local(path: output), stores: StoreResolver())
        await #expect(throws: PipelineError.self) { try await dataset.requireComplete() }

        let refused = try ChildProcess.run(TestSupport.orchardBinary, ["report", output, "--html", output + "/r.html"])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("_SUCCESS"), "\(refused.errors)")
        let allowed = try ChildProcess.run(TestSupport.orchardBinary, ["report", output, "--html", output + "/r.html", "--allow-incomplete"])
        #expect(allowed.status == 0, "\(allowed.errors)")
        let fit = try ChildProcess.run(TestSupport.orchardBinary, ["pca", "fit", output, "--components", "2", "--out", output + "/p.orchpca"])
        #expect(fit.status != 0)
    }
}
