import Foundation
import Recognition
import Testing

/// Early stopping on the validation loss: when it stops, and which weights it keeps.
@Suite struct EarlyStoppingTests {
    /// Few rows, many features, almost no penalty: the fit keeps improving on the training rows long after
    /// the validation loss has turned (overfitting), so early stopping has something to do.
    static func overfitting() throws -> (training: LabeledFeatures, validation: LabeledFeatures) {
        try RecognitionTestSupport.blobs(rows: 120, dimension: 40, classes: 3, seed: 9)
            .stratifiedSplit(validationFraction: 0.4, seed: 1)
    }

    static let options = TrainingOptions(c: 1e4, maxIterations: 300, tolerance: 1e-8, earlyStoppingPatience: 5)

    @Test func itStopsWhenTheValidationLossStopsImprovingAndKeepsTheBestWeights() throws {
        let (training, validation) = try Self.overfitting()
        var steps: [TrainingProgress] = []
        let trained = try TrainedClassifier(training: training, validation: validation, options: Self.options) { steps.append($0) }
        let metrics = trained.metrics
        let losses = steps.map { $0.validationLoss! }
        print("early stopping: \(metrics.iterations) iterations, best \(metrics.bestIteration ?? -1), validation losses \(losses.map { ($0 * 1000).rounded() / 1000 })")
        #expect(metrics.stoppedEarly == true)
        #expect(metrics.iterations < 300)
        #expect(metrics.iterations == steps.count)

        // The stopping rule, replayed on the reported losses: it stopped at the first iteration that ended a
        // run of 5 without beating the best so far by more than 1e-4.
        var best = Double.infinity, stale = 0, stop: Int?
        for (i, loss) in losses.enumerated() where stop == nil {
            stale = loss < best - 1e-4 ? 0 : stale + 1
            best = min(best, loss)
            if stale == 5 { stop = i + 1 }
        }
        #expect(stop == metrics.iterations)

        // The weights kept are those of the lowest validation loss, recomputed here from the classifier.
        let lowest = losses.indices.min { losses[$0] < losses[$1] }!
        #expect(metrics.bestIteration == lowest + 1)
        #expect(metrics.validationLoss == losses[lowest])
        let p = try trained.probabilities(validation)
        let loss = (0..<validation.count).map { r in -log(p[r][trained.classifier.labels.firstIndex(of: validation.labels[r])!]) }
            .reduce(0, +) / Double(validation.count)
        #expect(abs(loss - losses[lowest]) <= 1e-9 * max(1, loss))
        #expect(metrics.validationAccuracy == steps[lowest].validationAccuracy)

        // Without early stopping the run goes on, and ends with a worse validation loss than the one kept.
        var off = Self.options
        off.earlyStoppingPatience = nil
        let full = try TrainedClassifier(training: training, validation: validation, options: off)
        #expect(full.metrics.iterations > metrics.iterations)
        #expect(full.metrics.validationLoss! > metrics.validationLoss! + 0.01)
        #expect(full.metrics.stoppedEarly == nil && full.metrics.bestIteration == nil)
    }

    @Test func withoutValidationRowsThereIsNothingToStopOn() throws {
        let (training, _) = try Self.overfitting()
        let trained = try TrainedClassifier(training: training, options: Self.options)
        #expect(trained.metrics.stoppedEarly == nil && trained.metrics.validationRows == nil)
    }

    @Test func aPatienceBelowOneIsRefused() throws {
        let (training, validation) = try Self.overfitting()
        #expect(throws: RecognitionError.invalidOption(name: "earlyStoppingPatience", reason: "must be at least 1 (nil turns early stopping off)")) {
            try TrainedClassifier(training: training, validation: validation, options: TrainingOptions(earlyStoppingPatience: 0))
        }
    }
}
