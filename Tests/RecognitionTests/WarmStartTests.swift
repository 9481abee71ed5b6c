import Foundation
import LinearAlgebra
import OrchardTestKit
import Recognition
import Testing

/// `train --warm-start`: a classifier trained before a dataset grew continues on the grown data.
@Suite struct WarmStartTests {
    /// Last week's rows, and this week's: 5 % more rows of the same classes, and 60 more of which some
    /// are of a class that is new.
    static let before = RecognitionTestSupport.blobs(rows: 400, dimension: 8, classes: 3, seed: 5)
    static let after = grown(by: RecognitionTestSupport.blobs(rows: 20, dimension: 8, classes: 3, seed: 6))
    static let afterWithANewClass = grown(by: RecognitionTestSupport.blobs(rows: 60, dimension: 8, classes: 4, seed: 6))

    static func grown(by more: LabeledFeatures) -> LabeledFeatures {
        var grown = before
        for r in 0..<more.count { try! grown.add(label: more.labels[r], features: more.features(at: r), error: nil, source: "new \(r)") }
        return grown
    }

    static func logits(_ classifier: SoftmaxClassifier, _ features: [Float]) -> [Double] {
        classifier.predictProbabilities(features).map { log($0) }
    }

    /// Before any iteration, a warm start scores every row as the previous classifier does: the carried-over
    /// weights are exact, however the new rows moved the standardisation.
    @Test func theStartingPointScoresRowsAsThePreviousClassifierDoes() throws {
        let previous = try SoftmaxClassifier.train(Self.before).classifier
        // Other rows of the same classes, shifted and scaled: a standardisation far from the previous one.
        var moved = LabeledFeatures()
        let other = RecognitionTestSupport.blobs(rows: 200, dimension: 8, classes: 3, seed: 9)
        for r in 0..<other.count {
            try moved.add(label: other.labels[r], features: other.features(at: r).map { $0 * 1.3 + 2 }, error: nil, source: "\(r)")
        }
        // A tolerance nothing fails to meet: L-BFGS returns its starting point untouched.
        let started = try SoftmaxClassifier.train(moved, options: TrainingOptions(tolerance: 1e300), warmStart: previous)
        #expect(started.metrics.iterations == 0)
        #expect(started.classifier.standardization != previous.standardization)
        for r in 0..<moved.count {
            let expected = Self.logits(previous, moved.features(at: r)), actual = Self.logits(started.classifier, moved.features(at: r))
            #expect(zip(expected, actual).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($0)) }, "row \(r): \(expected) vs \(actual)")
        }
    }

    /// Warm and cold training on the grown rows reach the same classifier (the objective is strictly
    /// convex); after a small update the warm one gets there in fewer iterations. A new class is learnt too.
    @Test(arguments: [false, true])
    func reachesTheColdOptimum(withANewClass: Bool) throws {
        let data = withANewClass ? Self.afterWithANewClass : Self.after
        let bundle = try TrainedClassifier(training: Self.before).bundle(sources: ["before"])
        let options = TrainingOptions(tolerance: 1e-6)
        let cold = try TrainedClassifier(training: data, options: options)
        let warm = try TrainedClassifier(training: data, options: options, warmStart: bundle)
        print("warm start (\(withANewClass ? "with" : "without") a new class): \(warm.metrics.iterations) iterations, cold \(cold.metrics.iterations)")
        #expect(warm.classifier.labels == cold.classifier.labels)
        #expect(warm.metrics.converged && cold.metrics.converged)
        if !withANewClass {
            #expect(warm.metrics.iterations < cold.metrics.iterations, "warm \(warm.metrics.iterations), cold \(cold.metrics.iterations)")
        }
        for r in 0..<data.count {
            let w = warm.classifier.predictProbabilities(data.features(at: r))
            let c = cold.classifier.predictProbabilities(data.features(at: r))
            #expect(zip(w, c).allSatisfy { abs($0 - $1) <= 1e-3 }, "row \(r): \(w) vs \(c)")
        }
        #expect(abs(warm.metrics.trainAccuracy - cold.metrics.trainAccuracy) <= 1.0 / Double(data.count))
    }

    /// A previous bundle with a PCA: kept as it is (not refitted), so the classifier's inputs mean the same.
    @Test func keepsThePreviousPCAAndRefusesANewOne() throws {
        let previous = try TrainedClassifier(training: Self.before, pca: .count(5)).bundle(sources: ["before"])
        let warm = try TrainedClassifier(training: Self.after, warmStart: previous)
        #expect(warm.pca == previous.pca)
        #expect(throws: RecognitionError.self) { try TrainedClassifier(training: Self.after, pca: .count(5), warmStart: previous) }
        let narrow = RecognitionTestSupport.blobs(rows: 60, dimension: 6, classes: 3, seed: 7)
        #expect(throws: RecognitionError.self) { try TrainedClassifier(training: narrow, warmStart: previous) }
    }

    /// Through the CLI: the option, its report line, and a bundle equal to the library's warm start;
    /// a bundle of another backbone is refused.
    @Test func theCommandWarmStartsAndRefusesAnotherBackbone() throws {
        let work = try RecognitionTestSupport.temporaryFolder("warm-start")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let job = ["model": "/models/mobilenet_v2.tflite", "modelSHA256": String(repeating: "ab", count: 32)]
        let before = try TrainCommandTests.dataset("before", in: work, data: Self.before, job: job)
        let after = try TrainCommandTests.dataset("after", in: work, data: Self.afterWithANewClass, job: job)
        try TrainCommandTests.train([before, "--out", work + "/v1.orchard"], work: work).check()
        let result = try TrainCommandTests.train([after, "--out", work + "/v2.orchard", "--warm-start", work + "/v1.orchard"], work: work).check()
        #expect(result.output.contains("warm start from \(work)/v1.orchard: 3 classes, new ones start at zero: class 3"), "\(result.output)")
        let expected = try TrainedClassifier(training: Self.afterWithANewClass, warmStart: try ClassifierBundle.load(from: work + "/v1.orchard"))
        #expect(try ClassifierBundle.load(from: work + "/v2.orchard").classifier == expected.classifier)

        let refused = try TrainCommandTests.train([after, "--out", work + "/v3.orchard", "--warm-start", work + "/v1.orchard", "--pca", "3"], work: work)
        #expect(refused.status != 0 && refused.errors.contains("--warm-start keeps the earlier bundle's PCA"), "\(refused.errors)")
        let other = try TrainCommandTests.dataset(
            "other", in: work, data: Self.afterWithANewClass, job: ["model": "/models/other.h5", "modelSHA256": String(repeating: "cd", count: 32)])
        let mismatch = try TrainCommandTests.train([other, "--out", work + "/v4.orchard", "--warm-start", work + "/v1.orchard"], work: work)
        #expect(mismatch.status != 0 && mismatch.errors.contains("its weights mean nothing here"), "\(mismatch.errors)")
        #expect(!FileManager.default.fileExists(atPath: work + "/v4.orchard"))
    }
}
