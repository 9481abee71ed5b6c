import Recognition
import Testing

/// `ClassWeighting.balanced` against scikit-learn's `LogisticRegression(class_weight="balanced")`.
@Suite struct ClassWeightParityTests {
    /// 400 rows, four classes drawn 62 / 25 / 9 / 4 % of the time.
    static let imbalanced = RecognitionTestSupport.blobs(rows: 400, dimension: 12, classes: 4, seed: 7, shares: [0.62, 0.25, 0.09, 0.04])

    @Test func balancedWeightsAreScikitLearns() {
        // n / (K · n_c): 100 rows, 3 classes of 50, 30 and 20.
        let weights = ClassWeighting.balanced.weights(classCounts: [50, 30, 20])
        let expected = [100.0 / 150, 100.0 / 90, 100.0 / 60]
        for (w, e) in zip(weights, expected) { #expect(abs(w - e) <= 1e-15) }
        #expect(ClassWeighting.uniform.weights(classCounts: [50, 30, 20]) == [1, 1, 1])
    }

    @Test(arguments: [1.0, 0.1])
    func balancedProbabilitiesMatchScikitLearn(c: Double) throws {
        let data = Self.imbalanced
        let counts = Dictionary(grouping: data.labels, by: { $0 }).mapValues(\.count)
        #expect(counts.values.min()! * 8 < counts.values.max()!, "the set must be imbalanced: \(counts)")

        let options = TrainingOptions(c: c, maxIterations: 1000, tolerance: 1e-8, classWeight: .balanced)
        let trained = try TrainedClassifier(training: data, options: options)
        let reference = try SklearnReference.fit(data, options: .init(c: c, classWeight: "balanced"))
        let mine = try trained.probabilities(data)
        let difference = largestDifference(mine, reference.proba)
        print("balanced, C=\(c): max |p_orchard - p_sklearn| = \(difference), iterations \(trained.metrics.iterations)")
        #expect(trained.classifier.labels == reference.classes)
        #expect(difference <= 1e-3)
        #expect(trained.metrics.classWeight == "balanced")
        #expect(abs(accuracy(mine, labels: reference.classes, truth: data.labels) - reference.accuracy) <= 1.0 / 400)

        // Weighting must change the answer, or the comparison proves nothing: the unweighted fit differs
        // from scikit-learn's balanced one, and recalls the rarest class less.
        let uniform = try TrainedClassifier(training: data, options: TrainingOptions(c: c, maxIterations: 1000, tolerance: 1e-8))
        #expect(largestDifference(try uniform.probabilities(data), reference.proba) > 0.05)
        #expect(uniform.metrics.classWeight == nil)
        let rarest = reference.classes.indices.min { counts[reference.classes[$0]]! < counts[reference.classes[$1]]! }!
        func recall(_ p: [[Double]]) -> Double {
            let rows = data.labels.indices.filter { data.labels[$0] == reference.classes[rarest] }
            return Double(rows.filter { r in p[r].indices.max { p[r][$0] < p[r][$1] }! == rarest }.count) / Double(rows.count)
        }
        #expect(recall(mine) == reference.recall[rarest])
        #expect(recall(try uniform.probabilities(data)) < recall(mine))
    }
}
