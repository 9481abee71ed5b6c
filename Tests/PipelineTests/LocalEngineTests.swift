import Foundation
import Imaging
import MobileNet
import Recognition
import Testing
@testable import Pipeline

@Suite(.serialized) struct LocalEngineTests {
    let engine = LocalEngine(stores: StoreResolver(), progressOutput: { _ in })

    @Test func everyImageHasARowWithItsFolderLabelAndItsOwnFeatures() async throws {
        let classes = ["Banana 1", "Kiwi 1", "Lemon 1"]
        let input = try TestSupport.sampleFolder(classes: classes, perClass: 12)
        let output = try TestSupport.temporaryFolder("out")
        let summary = try await engine.run(TestSupport.job(input, output, imagesPerPart: 10))
        #expect(summary.images == 36)
        #expect(summary.failures == 0)
        #expect(summary.featureCount == 1280)

        let rows = try await TestSupport.rows(of: output)
        #expect(rows.count == 36)
        #expect(Set(rows.map(\.path)).count == 36)
        for row in rows {
            #expect(classes.contains(row.label))
            #expect(row.path.contains("/\(row.label)/"))
            #expect(row.features?.count == 1280)
            #expect(row.error == nil)
        }
        // The features are the featurizer's own output for the same file, bit for bit.
        var extractor = try MobileNetFeatureExtractor(weights: try WeightFile.load(path: TestSupport.model), limits: ImageLimits())
        for row in rows.prefix(3) {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: row.path)))
            #expect(try extractor.features(of: bytes, name: row.path) == row.features)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: output)
        #expect(names.contains("_SUCCESS"))
        #expect(names.filter { $0.hasPrefix("part-") && $0.hasSuffix(".parquet") }.count == 4)
        #expect(!names.contains("_temporary"))
    }

    @Test func corruptFilesBecomeErrorRowsAndTheRunGoesOn() async throws {
        let input = try TestSupport.sampleFolder(classes: ["Kiwi 1"], perClass: 5)
        let real = try Data(contentsOf: URL(fileURLWithPath: "\(input)/Kiwi 1/" + (try FileManager.default.contentsOfDirectory(atPath: "\(input)/Kiwi 1").sorted()[0])))
        try FileManager.default.createDirectory(atPath: "\(input)/Broken", withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: "\(input)/Broken/empty.jpg"))
        try Data("just some text, not a photo".utf8).write(to: URL(fileURLWithPath: "\(input)/Broken/text.JPG"))
        try real.prefix(400).write(to: URL(fileURLWithPath: "\(input)/Broken/truncated.jpeg"))
        try Data("ignored".utf8).write(to: URL(fileURLWithPath: "\(input)/Broken/notes.txt"))

        let output = try TestSupport.temporaryFolder("out")
        let summary = try await engine.run(TestSupport.job(input, output))
        #expect(summary.images == 8)
        #expect(summary.failures == 3)
        let rows = try await TestSupport.rows(of: output)
        let broken = rows.filter { $0.label == "Broken" }
        #expect(broken.count == 3)
        for row in broken {
            #expect(row.features == nil)
            #expect(row.pca == nil)
            #expect(row.error?.contains(row.path.split(separator: "/").last.map(String.init) ?? "?") == true, "\(row.error ?? "")")
        }
        #expect(rows.filter { $0.label == "Kiwi 1" }.allSatisfy { $0.error == nil && $0.features != nil })
    }

    @Test func refusesAFolderItDidNotWriteEvenWhenToldToOverwrite() async throws {
        let input = try TestSupport.sampleFolder(classes: ["Lemon 1"], perClass: 2)
        let output = try TestSupport.temporaryFolder("out")
        try Data("precious".utf8).write(to: URL(fileURLWithPath: "\(output)/thesis.txt"))
        await #expect(throws: PipelineError.self) { try await engine.run(TestSupport.job(input, output)) }
        var job = TestSupport.job(input, output)
        job.overwrite = true
        await #expect(throws: PipelineError.self) { try await engine.run(job) }
        #expect(FileManager.default.contents(atPath: "\(output)/thesis.txt") == Data("precious".utf8))

        try FileManager.default.removeItem(atPath: "\(output)/thesis.txt")
        _ = try await engine.run(job)
        #expect(try await TestSupport.rows(of: output).count == 2)

        // Another job (other options) into the same folder is refused too.
        await #expect(throws: PipelineError.self) {
            try await engine.run(TestSupport.job(input, output, imagesPerPart: 1))
        }
    }

    @Test func runningACompletedJobAgainChangesNothing() async throws {
        let input = try TestSupport.sampleFolder(classes: ["Orange 1"], perClass: 4)
        let output = try TestSupport.temporaryFolder("out")
        let first = try await engine.run(TestSupport.job(input, output, imagesPerPart: 2))
        let rows = try await TestSupport.rows(of: output)
        let second = try await engine.run(TestSupport.job(input, output, imagesPerPart: 2))
        #expect(second == first)
        #expect(try await TestSupport.rows(of: output) == rows)
    }
}
