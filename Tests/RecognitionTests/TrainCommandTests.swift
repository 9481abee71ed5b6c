import Foundation
import LinearAlgebra
import OrchardTestKit
import Recognition
import Testing

/// `orchard train`'s options through the binary, on datasets pyarrow writes.
@Suite struct TrainCommandTests {
    static let data = RecognitionTestSupport.blobs(rows: 120, dimension: 6, classes: 3, seed: 21, shares: [0.5, 0.35, 0.15])

    /// A temporary folder with `data` written as the dataset `name` (two parts), and a job record when given.
    static func dataset(_ name: String, in work: String, data: LabeledFeatures = data, job: [String: String]? = nil) throws -> String {
        let folder = work + "/" + name
        try RecognitionTestSupport.writeDataset(data, to: folder, parts: 2, job: job)
        return folder
    }

    /// Runs `orchard train` with a model-digest cache inside `work`.
    static func train(_ arguments: [String], work: String) throws -> ChildProcess.Completed {
        try RecognitionTestSupport.orchard(["train"] + arguments, environment: ["ORCHARD_CACHE": work + "/cache"])
    }

    @Test func everyTrainingOptionReachesTheLibrary() throws {
        let work = try RecognitionTestSupport.temporaryFolder("train-options")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let features = try Self.dataset("features", in: work)
        let result = try Self.train([
            features, "--out", work + "/fruit.orchard", "--c", "0.5", "--max-iterations", "150", "--pca", "4",
            "--validation", "0.25", "--seed", "7", "--class-weight", "balanced", "--early-stopping", "3",
        ], work: work).check()
        let bundle = try ClassifierBundle.load(from: work + "/fruit.orchard")

        // The same training through the library: the bundle must be exactly it.
        let (training, validation) = try Self.data.stratifiedSplit(validationFraction: 0.25, seed: 7)
        let options = TrainingOptions(c: 0.5, maxIterations: 150, classWeight: .balanced, earlyStoppingPatience: 3)
        let expected = try TrainedClassifier(training: training, validation: validation, pca: .count(4), options: options)
        #expect(bundle.classifier == expected.classifier)
        #expect(bundle.pca == expected.pca)
        #expect(bundle.metrics == expected.metrics)
        #expect(bundle.metrics.validationRows == validation.count && bundle.metrics.classWeight == "balanced")
        #expect(bundle.sources == [features])

        let output = result.output
        #expect(output.contains("read part-00000.parquet: 60 rows (60 kept so far)"), "\(output)")
        #expect(output.contains("read part-00001.parquet: 60 rows (120 kept so far)"))
        #expect(output.contains("validation: \(validation.count) rows held out (0.25 of each class, seed 7)"))
        #expect(output.contains("class weights (balanced)"))
        #expect(output.contains("PCA: 6 → 4 components"))
        #expect(output.contains(String(format: "validation accuracy %.2f%% (%d rows)", 100 * expected.metrics.validationAccuracy!, validation.count)))
        #expect(output.contains("iteration    1  loss") && output.contains("validation loss"))
        #expect(output.contains("note: no dataset records its backbone"))
        #expect(bundle.backbone == nil)
    }

    @Test func validationDataAndVarianceSelection() throws {
        let work = try RecognitionTestSupport.temporaryFolder("train-validation-data")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let other = RecognitionTestSupport.blobs(rows: 40, dimension: 6, classes: 3, seed: 21 + 1000)
        let features = try Self.dataset("features", in: work), held = try Self.dataset("held", in: work, data: other)
        let result = try Self.train([
            features, "--validation-data", held, "--pca-variance", "0.8", "--early-stopping", "0", "--out", work + "/fruit.orchard",
        ], work: work).check()
        let bundle = try ClassifierBundle.load(from: work + "/fruit.orchard")
        let expected = try TrainedClassifier(training: Self.data, validation: other, pca: .varianceRatio(0.8))
        #expect(bundle.classifier == expected.classifier && bundle.pca == expected.pca && bundle.metrics == expected.metrics)
        #expect(bundle.metrics.validationRows == 40 && bundle.metrics.stoppedEarly == nil)
        #expect(bundle.sources == [features, held])
        #expect(result.output.contains("validation: 40 rows from \(held)"), "\(result.output)")
    }

    @Test func theBackboneTheDatasetsRecordIsNamedAndCanBeEmbedded() throws {
        let work = try RecognitionTestSupport.temporaryFolder("train-backbone")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let model = work + "/mobilenet.tflite"
        var generator = SplitMix64(seed: 5)
        try Data((0..<4000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }).write(to: URL(fileURLWithPath: model))
        let sha = try RecognitionTestSupport.sha256(ofFile: model)
        let job = ["model": model, "modelSHA256": sha]
        let a = try Self.dataset("a", in: work, job: job), b = try Self.dataset("b", in: work, job: job)

        let named = try Self.train([a, b, "--out", work + "/named.orchard", "--pca", "3"], work: work).check()
        let bundle = try ClassifierBundle.load(from: work + "/named.orchard")
        #expect(bundle.backbone == BackboneIdentity(name: "mobilenet.tflite", sha256: sha, featureCount: 6))
        #expect(bundle.embeddedBackbone == nil)
        #expect(named.output.contains("backbone: mobilenet.tflite (SHA-256 \(sha))"), "\(named.output)")

        let embedded = try Self.train([a, "--out", work + "/embedded.orchard", "--embed-backbone"], work: work).check()
        let withWeights = try ClassifierBundle.load(from: work + "/embedded.orchard")
        #expect(withWeights.embeddedBackbone == [UInt8](try Data(contentsOf: URL(fileURLWithPath: model))))
        #expect(withWeights.backbone?.sha256 == sha)
        #expect(embedded.output.contains("embedded (4000 bytes)"), "\(embedded.output)")

        // --model names the file to embed; another network's file is refused.
        let copy = work + "/copy.tflite"
        try FileManager.default.copyItem(atPath: model, toPath: copy)
        try Self.train([a, "--out", work + "/copy.orchard", "--embed-backbone", "--model", copy], work: work).check()
        let wrong = work + "/other.tflite"
        try Data(repeating: 7, count: 100).write(to: URL(fileURLWithPath: wrong))
        let refused = try Self.train([a, "--out", work + "/wrong.orchard", "--embed-backbone", "--model", wrong], work: work)
        #expect(refused.status != 0)
        #expect(refused.errors.contains("has SHA-256") && refused.errors.contains("embed that file"), "\(refused.errors)")
        #expect(!FileManager.default.fileExists(atPath: work + "/wrong.orchard"))
    }

    @Test func datasetsOfTwoNetworksAreRefused() throws {
        let work = try RecognitionTestSupport.temporaryFolder("train-two-networks")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let a = try Self.dataset("a", in: work, job: ["model": "/m/a.h5", "modelSHA256": String(repeating: "a", count: 64)])
        let b = try Self.dataset("b", in: work, job: ["model": "/m/b.tflite", "modelSHA256": String(repeating: "b", count: 64)])
        let result = try Self.train([a, "--validation-data", b, "--out", work + "/x.orchard"], work: work)
        #expect(result.status != 0)
        #expect(result.errors.contains("features of two networks cannot be mixed"), "\(result.errors)")
        #expect(!result.output.contains("read part"), "refused before reading rows")
        #expect(!FileManager.default.fileExists(atPath: work + "/x.orchard"))
    }

    @Test func embeddingNeedsAFileWhenNothingIsRecorded() throws {
        let work = try RecognitionTestSupport.temporaryFolder("train-embed-unrecorded")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let features = try Self.dataset("features", in: work)
        let result = try Self.train([features, "--out", work + "/x.orchard", "--embed-backbone"], work: work)
        #expect(result.status != 0)
        #expect(result.errors.contains("record no backbone") && result.errors.contains("--model FILE"), "\(result.errors)")
    }

    @Test(arguments: [
        (["--pca", "3", "--pca-variance", "0.9"], "either --pca or --pca-variance"),
        (["--pca-variance", "1"], "--pca-variance must be strictly between 0 and 1"),
        (["--validation", "0.2", "--validation-data", "x"], "either --validation or --validation-data"),
        (["--validation", "1.5"], "--validation must be strictly between 0 and 1"),
        (["--early-stopping", "5"], "--early-stopping needs validation rows"),
        (["--validation", "0.2", "--early-stopping=-1"], "--early-stopping must be 0"),
        (["--model", "net.tflite"], "use it with --embed-backbone"),
        (["--class-weight", "heavy"], "heavy"),
    ])
    func badOptionsAreRefusedBeforeAnythingIsRead(arguments: [String], message: String) throws {
        let result = try RecognitionTestSupport.orchard(["train", "/nonexistent", "--out", "/nonexistent/x.orchard"] + arguments)
        #expect(result.status != 0)
        #expect(result.errors.contains(message), "\(result.errors)")
    }

    @Test func helpExplainsEveryOptionAndTheMemory() throws {
        let help = try RecognitionTestSupport.orchard(["train", "--help"]).check().output
        for option in [
            "--c ", "--max-iterations", "--class-weight", "--pca ", "--pca-variance", "--validation ", "--validation-data",
            "--seed", "--early-stopping", "--embed-backbone", "--model", "--allow-incomplete", "--s3-endpoint",
        ] {
            #expect(help.contains(option), "\(option) missing from\n\(help)")
        }
        #expect(help.contains("Memory: parts are read one at a time, but the whole feature matrix is held"))
        #expect(help.contains("Example: orchard train features/Training --out fruit.orchard"))
        #expect(help.contains("--validation 0.1 --class-weight balanced"))
        #expect(help.contains("keeps the last weights"))
    }
}
