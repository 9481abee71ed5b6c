import Foundation
import Recognition
import Testing

/// `--validation F`: a stratified, seeded split, and the validation metrics against scikit-learn.
@Suite struct ValidationSplitTests {
    static let data = RecognitionTestSupport.blobs(rows: 203, dimension: 8, classes: 3, seed: 11, shares: [0.6, 0.3, 0.1])

    static func counts(_ labels: [String]) -> [String: Int] { Dictionary(grouping: labels, by: { $0 }).mapValues(\.count) }

    @Test func eachClassGivesItsShare() throws {
        let (training, validation) = try Self.data.stratifiedSplit(validationFraction: 0.25, seed: 5)
        let all = Self.counts(Self.data.labels), held = Self.counts(validation.labels), kept = Self.counts(training.labels)
        #expect(training.count + validation.count == Self.data.count)
        for (label, n) in all {
            #expect(held[label, default: 0] == Int((0.25 * Double(n)).rounded()), "\(label): \(held[label, default: 0]) of \(n)")
            #expect(kept[label, default: 0] + held[label, default: 0] == n)
        }
        // Every row lands on exactly one side, with its own features: the multiset of rows is unchanged.
        func rows(_ d: LabeledFeatures) -> [String] { (0..<d.count).map { "\(d.labels[$0]) \(d.features(at: $0))" } }
        #expect((rows(training) + rows(validation)).sorted() == rows(Self.data).sorted())
    }

    @Test func theSeedDecidesTheRows() throws {
        let a = try Self.data.stratifiedSplit(validationFraction: 0.2, seed: 5)
        let b = try Self.data.stratifiedSplit(validationFraction: 0.2, seed: 5)
        let c = try Self.data.stratifiedSplit(validationFraction: 0.2, seed: 6)
        #expect(a.validation.values == b.validation.values)
        #expect(a.validation.values != c.validation.values)
        #expect(Self.counts(a.validation.labels) == Self.counts(c.validation.labels))
    }

    @Test func aClassKeepsATrainingRowAndTheFractionIsChecked() throws {
        var tiny = LabeledFeatures()
        for (i, label) in ["a", "a", "a", "a", "b"].enumerated() {
            try tiny.add(label: label, features: [Float(i), 1], error: nil, source: "\(i)")
        }
        let (training, validation) = try tiny.stratifiedSplit(validationFraction: 0.9, seed: 1)
        #expect(Self.counts(training.labels) == ["a": 1, "b": 1])
        #expect(Self.counts(validation.labels) == ["a": 3])
        for bad in [0.0, 1.0, -0.1, .nan] {
            #expect(throws: RecognitionError.self) { try tiny.stratifiedSplit(validationFraction: bad, seed: 1) }
        }
        #expect(throws: RecognitionError.self) { try tiny.stratifiedSplit(validationFraction: 0.01, seed: 1) }
    }

    @Test func validationMetricsMatchScikitLearn() throws {
        let (training, validation) = try Self.data.stratifiedSplit(validationFraction: 0.3, seed: 2)
        let options = TrainingOptions(c: 0.5, maxIterations: 1000, tolerance: 1e-8)
        var steps: [TrainingProgress] = []
        let trained = try TrainedClassifier(training: training, validation: validation, options: options) { steps.append($0) }
        let reference = try SklearnReference.fit(training, validation: validation, options: .init(c: 0.5))
        let metrics = trained.metrics
        print("validation loss orchard \(metrics.validationLoss ?? -1) sklearn \(reference.validationLoss ?? -1), "
              + "accuracy \(metrics.validationAccuracy ?? -1) / \(reference.validationAccuracy ?? -1)")
        #expect(metrics.validationRows == validation.count)
        #expect(metrics.trainRows == training.count)
        #expect(abs(metrics.validationLoss! - reference.validationLoss!) <= 1e-5)
        #expect(metrics.validationAccuracy == reference.validationAccuracy)
        #expect(largestDifference(try trained.probabilities(validation), reference.validationProba!) <= 1e-3)
        // Without early stopping the last weights are kept, and every step reported the validation loss.
        #expect(metrics.bestIteration == nil && metrics.stoppedEarly == nil)
        #expect(steps.allSatisfy { $0.validationLoss != nil && $0.validationAccuracy != nil })
        #expect(steps.last?.validationLoss == metrics.validationLoss)
    }

    @Test func aValidationLabelUnknownToTrainingIsRefused() throws {
        var validation = LabeledFeatures()
        try validation.add(label: "durian", features: Self.data.features(at: 0), error: nil, source: "d.jpg")
        let error = try #require(throws: RecognitionError.self) {
            try TrainedClassifier(training: Self.data, validation: validation)
        }
        #expect(String(describing: error).contains("durian"))
    }

    @Test func oldMetricsWithoutTheNewFieldsStillDecode() throws {
        let old = """
            {"trainRows": 45, "skippedRows": 0, "iterations": 12, "finalLoss": 1.5, "finalGradientNorm": 1e-5,
             "converged": true, "trainAccuracy": 1, "c": 1}
            """
        let metrics = try JSONDecoder().decode(TrainingMetrics.self, from: Data(old.utf8))
        #expect(metrics.trainRows == 45 && metrics.validationRows == nil && metrics.validationLoss == nil)
        #expect(metrics.classWeight == nil && metrics.bestIteration == nil)
    }
}
