import Foundation
import OrchardTestKit
import Recognition
import Testing

/// The classifier against scikit-learn's `LogisticRegression` on the same standardised data.
@Suite struct SklearnParityTests {
    /// Fits scikit-learn on the CSV at `train` (StandardScaler, then LogisticRegression(C)) and prints, as
    /// JSON, its classes, the probabilities of each row and the training accuracy.
    static let script = """
        import json, sys, warnings
        import numpy as np
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler
        warnings.simplefilter("ignore")
        rows = [line.rstrip("\\n").split(",") for line in open(sys.argv[1]) if line.strip()]
        y = np.array([r[0] for r in rows]); X = np.array([[float(v) for v in r[1:]] for r in rows])
        scaler = StandardScaler().fit(X); Xs = scaler.transform(X)
        model = LogisticRegression(C=float(sys.argv[2]), max_iter=1000, tol=1e-8).fit(Xs, y)
        from sklearn.metrics import log_loss
        proba = model.predict_proba(Xs)
        # The objective scikit-learn minimises, per row: mean log-loss + ||W||^2 / (2 C n).
        objective = log_loss(y, proba, labels=model.classes_) + (model.coef_ ** 2).sum() / (2 * float(sys.argv[2]) * len(y))
        print(json.dumps({"classes": list(model.classes_), "proba": proba.tolist(),
                          "accuracy": float(model.score(Xs, y)), "scale": scaler.scale_.tolist(), "objective": objective}))
        """

    struct Reference: Decodable {
        var classes: [String]
        var proba: [[Double]]
        var accuracy: Double
        var scale: [Double]
        var objective: Double
    }

    static func reference(_ data: LabeledFeatures, c: Double) throws -> Reference {
        let folder = try RecognitionTestSupport.temporaryFolder("parity")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try RecognitionTestSupport.csv(data).write(toFile: folder + "/train.csv", atomically: true, encoding: .utf8)
        let output = try ChildProcess.python(script, [folder + "/train.csv", String(c)])
        return try JSONDecoder().decode(Reference.self, from: Data(output.utf8))
    }

    @Test(arguments: [1.0, 0.05])
    func probabilitiesMatchScikitLearn(c: Double) throws {
        let data = RecognitionTestSupport.blobs(rows: 300, dimension: 20, classes: 4)
        let (classifier, metrics) = try SoftmaxClassifier.train(data, options: TrainingOptions(c: c, maxIterations: 1000, tolerance: 1e-8))
        let reference = try Self.reference(data, c: c)
        #expect(classifier.labels == reference.classes)
        #expect(metrics.trainRows == 300)
        var largest = 0.0
        var correct = 0
        for r in 0..<data.count {
            let p = classifier.predictProbabilities(data.features(at: r))
            for k in p.indices { largest = max(largest, abs(p[k] - reference.proba[r][k])) }
            if classifier.labels[p.indices.max { p[$0] < p[$1] }!] == data.labels[r] { correct += 1 }
        }
        let accuracy = Double(correct) / Double(data.count)
        print("C=\(c): max |p_orchard - p_sklearn| = \(largest), accuracy orchard \(accuracy) sklearn \(reference.accuracy), iterations \(metrics.iterations)")
        #expect(largest <= 1e-3)
        #expect(accuracy == reference.accuracy)
        #expect(metrics.trainAccuracy == accuracy)
        // The loss `train` prints is scikit-learn's objective, per row (it was the sum over the rows).
        #expect(abs(metrics.finalLoss - reference.objective) <= 1e-6 * max(1, reference.objective), "\(metrics.finalLoss) vs \(reference.objective)")
        // The data must not be trivially separable, or the comparison proves little.
        #expect(accuracy > 0.5 && accuracy < 1)
        // Population standard deviations (ddof=0): ddof=1 would differ by 1/600 here. StandardScaler sums
        // in another order (its incremental mean and variance), hence a tolerance of many roundings.
        for (mine, theirs) in zip(classifier.standardization.scale, reference.scale) {
            #expect(abs(mine - theirs) <= 1e-7 * theirs)
        }
    }

    @Test func defaultOptionsStopOnTheGradientTolerance() throws {
        let data = RecognitionTestSupport.blobs(rows: 300, dimension: 20, classes: 4)
        var steps: [TrainingProgress] = []
        let (_, metrics) = try SoftmaxClassifier.train(data) { steps.append($0) }
        #expect(metrics.converged)
        #expect(metrics.finalGradientNorm <= 1e-4)
        #expect(metrics.iterations == steps.count)
        #expect(metrics.iterations < 200)
        // The objective only ever goes down (each step passed the Armijo test).
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $1.loss <= $0.loss })
    }

    @Test func oneIterationStopsUnconverged() throws {
        let data = RecognitionTestSupport.blobs(rows: 100, dimension: 5, classes: 3)
        let (_, metrics) = try SoftmaxClassifier.train(data, options: TrainingOptions(maxIterations: 1))
        #expect(metrics.iterations == 1)
        #expect(!metrics.converged)
    }
}
